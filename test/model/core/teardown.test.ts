/**
 * One visible teardown: a design's destroy, balloon-out, fill and allocation steps run where and in the
 * order its `Teardown` lists them, and `describeTeardown` reads them back in that order.
 */
import { describe, expect, it } from 'vitest';
import { CORE_DESTROY_STEPS, makeDestroyDomain } from '../../../src/model/core/ops/domains.ts';
import { describeTeardown, makeDecreaseReservation, makeMapGrant, makePopulatePhysmap, makeXenAllocPage } from '../../../src/model/core/ops/teardownOps.ts';
import type { Teardown } from '../../../src/model/core/teardown.ts';
import { joinTeardowns, NO_TEARDOWN } from '../../../src/model/core/teardown.ts';
import type { State } from '../../../src/model/core/state.ts';
import { DESIGNS } from '../../../src/model/designs.ts';
import { grantAccess } from '../../../src/model/core/ops/grants.ts';
import { listText } from '../../../src/cli/listCommand.ts';
import { apply, applyOk, expectRefused, world } from '../../helpers/world.ts';

/** A teardown whose steps write what they saw into `log`, in the order they ran. */
function recording(log: string[]): Teardown {
  const seen = (state: State, dom: number) => `${state.domains[dom].state}, ${state.domains[dom].p2m.filter((e) => e !== null).length} gfns`;
  return joinTeardowns(
    {
      destroyDomain: [{ name: 'first', doc: 'records', run: (state, dom) => void log.push(`first: ${seen(state, dom)}`) }],
      balloonOut: [{ name: 'watch', doc: 'records', before: (_s, dom, gfn) => void log.push(`before ${dom}:${gfn}`), after: (_s, dom, gfn) => void log.push(`after ${dom}:${gfn}`) }],
      allocFrame: [{ name: 'alloc', doc: 'records', run: (_s, mfn, at) => void log.push(`alloc ${mfn} ${at === undefined ? 'xen' : `${at.dom}:${at.gfn}`}`) }],
    },
    {
      destroyDomain: [{ name: 'second', doc: 'records', run: (state, dom) => void log.push(`second: ${seen(state, dom)}`) }],
      fillGfn: [{ name: 'no gfn 3', doc: 'refused at gfn 3', check: (_s, _dom, gfn) => (gfn === 3 ? 'EBUSY' : undefined) }],
    },
  );
}

describe('destroyDomain built from a teardown', () => {
  it("runs the design's steps in list order, before the core's (the domain still alive, its p2m whole)", () => {
    const log: string[] = [];
    const s = world();
    applyOk(s, makeDestroyDomain(recording(log)), { dom: 3 });
    expect(log).toEqual(['first: alive, 4 gfns', 'second: alive, 4 gfns']);
    expect(s.domains[3].p2m.every((e) => e === null)).toBe(true);
  });

  it('runs no step when it refuses: dom0, or a domain that is not alive', () => {
    const log: string[] = [];
    const s = world();
    const op = makeDestroyDomain(recording(log));
    expectRefused(s, op, { dom: 0 }, 'EPERM');
    expectRefused(s, op, { dom: 4 }, 'ESRCH');
    expect(log).toEqual([]);
  });

  it('with no steps is the core destroyDomain, doc and all', () => {
    expect(makeDestroyDomain(NO_TEARDOWN).doc).toBe('toolstack destroys dom; its frames are freed as their last references go');
    expect(makeDestroyDomain(recording([])).doc).toMatch(/^toolstack destroys dom: first first, second, then/);
  });
});

describe('the p2m-change steps', () => {
  it("balloon-out: every 'before' runs, refused or not; 'after' only once the page is gone", () => {
    const log: string[] = [];
    const s = world();
    const op = makeDecreaseReservation(recording(log));
    expect(apply(s, op, { dom: 1, gfn: 7 }).result).toEqual({ ok: false, err: 'ENOENT' });
    applyOk(s, op, { dom: 1, gfn: 0 });
    expect(log).toEqual(['before 1:7', 'before 1:0', 'after 1:0']);
  });

  it('a fill check refuses before anything changes, and before the allocation steps run', () => {
    const log: string[] = [];
    const s = world();
    applyOk(s, makeDecreaseReservation(NO_TEARDOWN), { dom: 1, gfn: 3 });
    const populate = makePopulatePhysmap(recording(log));
    expectRefused(s, populate, { dom: 1, gfn: 3, mfn: 20 }, 'EBUSY');
    expect(log).toEqual([]);
    applyOk(s, populate, { dom: 1, gfn: 5, mfn: 20 });
    applyOk(s, makeXenAllocPage(recording(log)), { mfn: 21 });
    expect(log).toEqual(['alloc 20 1:5', 'alloc 21 xen']);
  });

  it("a grant map's fill check is on the grantee's host GFN, and skipped for a device-only mapping", () => {
    const s = world();
    applyOk(s, grantAccess, { granter: 1, ref: 0, grantee: 2, gfn: 0, readonly: false });
    applyOk(s, makeDecreaseReservation(NO_TEARDOWN), { dom: 2, gfn: 3 });
    const map = makeMapGrant(recording([]));
    expectRefused(s, map, { grantee: 2, granter: 1, ref: 0, readonly: false, hostGfn: 3, deviceBfn: -1 }, 'EBUSY');
    expect(map.doc).toMatch(/; refused at gfn 3$/);
  });
});

describe("each design's teardown, in words", () => {
  const core = CORE_DESTROY_STEPS.map((s) => s.name).join(' → ');
  const byId = Object.fromEntries(DESIGNS.map((d) => [d.id, describeTeardown(d.teardown)]));

  it('core and virtio designs: the core steps only', () => {
    expect(byId['xen-map-for-dma']).toEqual([`destroyDomain: ${core}`]);
    expect(byId['virtio-gpu-primitives']).toEqual([`destroyDomain: ${core}`]);
  });

  it('GPU shadowing: the vGPU goes first; the device model watches balloon-outs and allocations', () => {
    for (const id of ['xengt-shadow-map', 'xengt-shadow-translate', 'kvmgt-page-track']) {
      expect(byId[id]).toEqual([
        `destroyDomain: release its vGPU → ${core}`,
        'decreaseReservation: note a shadowed page going → drop the p2m entry and put its frame → drop its shadow entries if told (trackDeviceWrites), once it succeeded',
        'populatePhysmap, xenAllocPage: note page-table page reuse → allocate the frame',
      ]);
    }
  });

  it('RMRR: devices are deassigned first; only v2 refuses reserved GFNs', () => {
    expect(byId['rmrr-2014']).toEqual([`destroyDomain: deassign its devices → ${core}`]);
    expect(byId['rmrr-v2']).toEqual([`destroyDomain: deassign its devices → ${core}`, 'populatePhysmap, mapForeign, mapGrant: refuse reserved GFNs → fill the GFN']);
  });

  it('`shadowcheck list` shows each design its teardown, under its ops', () => {
    const text = listText();
    const v2 = text.slice(text.indexOf('  rmrr-v2 — '));
    expect(v2).toMatch(new RegExp(`\\n    ops: [^\\n]*\\n    destroyDomain: deassign its devices → mark dying → `));
    expect(v2.slice(0, v2.indexOf('\n\n'))).toContain('    populatePhysmap, mapForeign, mapGrant: refuse reserved GFNs → fill the GFN');
  });

  it('the core steps, in order', () => {
    expect(CORE_DESTROY_STEPS.map((s) => s.name)).toEqual([
      'mark dying',
      'unmap its grant mappings',
      'drop its p2m references',
      'drop its IOMMU references',
      'drop its unmapped grants',
      'drop its GPU DMA tables',
      'dead if it holds no pages',
    ]);
  });
});
