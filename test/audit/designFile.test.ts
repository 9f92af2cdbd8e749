import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadDesignFile } from '../../src/audit/designFile.ts';
import { designShapeProblem } from '../../src/audit/designShape.ts';
import { xenMapForDma } from '../../src/model/core/designs/xenMapForDma.ts';
import { DEFAULT_SCOPE, knobDefaults } from '../../src/api.ts';
import { tempDir } from '../helpers/entries.ts';

const FIXTURES = 'test/fixtures/designs';

describe('loadDesignFile: modules', () => {
  it('loads the worked example with its baseline', async () => {
    const r = await loadDesignFile('examples/translate-gpfn-2014.ts');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.design.id).toBe('translate-gpfn-2014');
    expect(r.baseline).toBe('xen-map-for-dma');
  });

  it('loads the custom-op example: its decreaseReservation refuses gfn 0 and defers to the baseline otherwise', async () => {
    const r = await loadDesignFile('examples/balloon-keeps-gfn-0.ts');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const op = r.design.ops.find((o) => o.name === 'decreaseReservation')!;
    const ctx = { scope: DEFAULT_SCOPE, knobs: knobDefaults(r.design), note: () => {}, warn: () => {} };
    const state = r.design.buildWorld(DEFAULT_SCOPE, ctx.knobs);
    expect(op.apply(state, { dom: 1, gfn: 0 }, ctx)).toEqual({ ok: false, err: 'EPERM' });
    expect(op.apply(state, { dom: 1, gfn: 1 }, ctx)).toEqual({ ok: true });
    expect(state.domains[1].p2m[1]).toBeNull();
  });

  it('a plain design names no baseline', async () => {
    const r = await loadDesignFile(`${FIXTURES}/plainDesign.ts`);
    expect(r.ok && r.baseline).toBeUndefined();
  });

  it.each([
    ['throwsAtImport.ts', "threw while loading: deriveDesign: xen-map-for-dma has no knob 'checkTargets' (knobs: checkTarget, backendIommu, checkCollision, getPageFirst, iotlbFlush, freeBeforeFlush, backend, client, nonClient, backendPrivilege)"],
    ['noDefault.ts', 'no default export (the file must `export default` a design, e.g. deriveDesign(baseline, {...}))'],
    ['wrongShape.ts', 'export default.ops[0].apply: must be a function'],
    ['worldThrows.ts', 'export default.buildWorld: threw no PV dom0 in this scope'],
  ])('%s: one message naming the file and the export', async (name, message) => {
    const file = `${FIXTURES}/${name}`;
    expect(await loadDesignFile(file)).toEqual({ ok: false, message: `${file}: ${message}` });
  });

  it('refuses files that are neither modules nor JSON, and files that are not there', async () => {
    expect(await loadDesignFile('README.md')).toEqual({ ok: false, message: 'README.md: not a design file: expected a module (.ts, .mts, .js, .mjs) or a JSON knob file (.json)' });
    const r = await loadDesignFile('examples/nope.ts');
    expect(!r.ok && r.message).toMatch(/^examples\/nope\.ts: cannot read/);
  });
});

/** The public entry by absolute URL, as a design file outside the checkout would reach it. */
const API_URL = pathToFileURL(resolve('src/api.ts')).href;

describe('loadDesignFile: a .ts file in a package of either module type', () => {
  // Without "type": "module" tsx compiles the file to CommonJS, whose exports arrive wrapped as the
  // default export; the loader must find the design inside (test/package/ runs the same through the bin).
  it.each([
    ['no "type" (CommonJS)', {}],
    ['"type": "commonjs"', { type: 'commonjs' }],
    ['"type": "module"', { type: 'module' }],
  ])('package.json with %s: loads the default export and its baseline', async (_label, pkg) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'proposal', version: '1.0.0', ...pkg }));
    const file = join(dir, 'design.ts');
    writeFileSync(
      file,
      [
        `import { deriveDesign, xenMapForDma } from '${API_URL}';`,
        `import type { Design } from '${API_URL}';`,
        `const proposal: Design = deriveDesign(xenMapForDma, { id: 'typed-proposal', knobs: { checkTarget: false } });`,
        'export default proposal;',
      ].join('\n'),
    );
    const r = await loadDesignFile(file);
    expect(r).toMatchObject({ ok: true, baseline: 'xen-map-for-dma', design: { id: 'typed-proposal' } });
    if (r.ok) expect(r.design.knobs.checkTarget.default).toBe(false);
  });

  it('a CommonJS design file without a default export is still told so', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'package.json'), '{}');
    const file = join(dir, 'design.ts');
    writeFileSync(file, `import { deriveDesign, xenMapForDma } from '${API_URL}';\nexport const proposal = deriveDesign(xenMapForDma, { id: 'p' });\n`);
    expect(await loadDesignFile(file)).toEqual({ ok: false, message: `${file}: no default export (the file must \`export default\` a design, e.g. deriveDesign(baseline, {...}))` });
  });
});

describe('loadDesignFile: JSON knob files', () => {
  it('loads the example knob file as a derived design', async () => {
    const r = await loadDesignFile('examples/map-any-domain.json');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.baseline).toBe('xen-map-for-dma');
    expect(r.design.id).toBe('map-any-domain');
    expect(r.design.knobs.checkTarget.default).toBe(false);
    expect(r.design.ops).toEqual(xenMapForDma.ops);
  });

  it.each([
    ['{"baseline": "xen-map-for-dma", "id": "x", "knobs": {', /^malformed JSON: /],
    ['{"id": "x", "knobs": {}}', /^\/: must have required property 'baseline'$/],
    ['{"baseline": "xen-map-for-dma", "id": "Bad Id", "knobs": {}}', /^\/id: must match pattern/],
    ['{"baseline": "xen-map-for-dma", "id": "x", "knobs": {"checkTarget": [false]}}', /^\/knobs\/checkTarget: must be string,number,boolean$/],
    ['{"baseline": "xen-map-for-dma", "id": "x", "knobs": {}, "ops": {}}', /^\/: unexpected property 'ops'$/],
    ['{"baseline": "xen-nope", "id": "x", "knobs": {}}', /^\/baseline: unknown design 'xen-nope' \(valid: /],
    ['{"baseline": "xen-map-for-dma", "id": "xen-map-for-dma", "knobs": {}}', /^\/id: the proposal needs its own id/],
    ['{"baseline": "xen-map-for-dma", "id": "x", "knobs": {"checkTargets": false}}', /^\/knobs\/checkTargets: xen-map-for-dma has no knob 'checkTargets' \(knobs: checkTarget, backendIommu, checkCollision, getPageFirst, iotlbFlush, freeBeforeFlush, backend, client, nonClient, backendPrivilege\)$/],
    ['{"baseline": "xen-map-for-dma", "id": "x", "knobs": {"checkTarget": "off"}}', /^\/knobs\/checkTarget: takes true \| false, not "off"$/],
  ])('%s → one message naming the file and the JSON path', async (text, message) => {
    const file = join(tempDir(), 'knobs.json');
    writeFileSync(file, text);
    const r = await loadDesignFile(file);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message.startsWith(`${file}: `)).toBe(true);
      expect(r.message.slice(file.length + 2)).toMatch(message);
    }
  });
});

describe('designShapeProblem', () => {
  it.each([
    [null, 'default: must be a design object (export default deriveDesign(...)), got null'],
    [{ ...xenMapForDma, id: '' }, 'default.id: must be a non-empty string'],
    [{ ...xenMapForDma, knobs: { k: { values: [1], default: 2 } } }, 'default.knobs.k: must have values[] including its default'],
    [{ ...xenMapForDma, ops: [] }, 'default.ops: must be a non-empty array of operations'],
    [{ ...xenMapForDma, ops: [xenMapForDma.ops[0], xenMapForDma.ops[0]] }, "default.ops[1]: a second op named 'populatePhysmap'"],
    [{ ...xenMapForDma, invariants: ['no-foreign-reach', 'no-such'] }, "default.invariants[1]: unknown invariant 'no-such'"],
    [{ ...xenMapForDma, expect: undefined }, 'default.expect: must be a function'],
    [{ ...xenMapForDma, buildWorld: () => ({}) }, 'default.buildWorld: must return a model State (frames, domains, …)'],
  ])('%#: names the export path', (value, message) => {
    expect(designShapeProblem(value)).toBe(message);
  });

  it('accepts a real design', () => {
    expect(designShapeProblem(xenMapForDma)).toBeUndefined();
  });
});
