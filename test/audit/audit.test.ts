import { describe, expect, it } from 'vitest';
import { runAudit } from '../../src/audit/audit.ts';
import { loadDesignFile } from '../../src/audit/designFile.ts';
import { auditJunit } from '../../src/audit/junit.ts';
import { xmlProblem } from '../helpers/xmlWellFormed.ts';
import type { Design } from '../../src/model/core/design.ts';
import { deriveDesign } from '../../src/model/core/deriveDesign.ts';
import { xenMapForDma } from '../../src/model/core/designs/xenMapForDma.ts';
import { translateGpfn } from '../../src/model/core/ops/dmaAddress.ts';
import { makeShadowClear, makeShadowSet } from '../../src/model/core/ops/dmaTableOps.ts';
import { DEFAULT_SCOPE } from '../../src/model/core/scope.ts';
import { saveEntry } from '../../src/trace/corpusSave.ts';
import { entryFor, tempDir } from '../helpers/entries.ts';

async function design(file: string): Promise<Design> {
  const r = await loadDesignFile(file);
  if (!r.ok) throw new Error(r.message);
  return r.design;
}

// The CLI default: enough for the translate design to show all three of its known violations from seed 1.
const budget = { runs: 1000 };

let workedExample: ReturnType<typeof runAudit> | undefined;
/** The audit of the README's worked example, run once for the tests that read it. */
async function worked(): ReturnType<typeof runAudit> {
  workedExample ??= design('examples/translate-gpfn-2014.ts').then((candidate) => runAudit({ baseline: xenMapForDma, candidate, seed: 1, budget, scope: DEFAULT_SCOPE, corpusFiles: [] }));
  return workedExample;
}

describe('runAudit', () => {
  it('the worked example newly breaks the three reach/staleness invariants and levels 0-2, each with a short trace', async () => {
    const r = await worked();
    const changes = Object.fromEntries(r.rows.map((row) => [row.invariant, row.change]));
    expect(changes).toEqual({
      'type-ok': 'unchanged',
      'refused-op-changes-nothing': 'unchanged',
      'no-foreign-reach': 'newly broken',
      'no-xen-frame-reach': 'newly broken',
      'no-stale-reference': 'newly broken',
      'refcounts-match-refs': 'unchanged',
      'quota-matches-ownership': 'unchanged',
      'end-access-fails-while-mapped': 'unchanged',
      'iotlb-flushed-before-free': 'unchanged',
      // Tim Deegan's levels: the proposal loses the two Xen enforces, and level 2 with them; level 3
      // was trusted to XenGT on both sides.
      'level-0-xen-protected': 'newly broken',
      'level-1-clients-only': 'newly broken',
      'level-2-clients-isolated': 'newly broken',
      'level-3-only-what-was-given': 'unchanged',
    });
    expect(r.newlyBroken).toBe(6);
    const stale = r.rows.find((row) => row.invariant === 'no-stale-reference')!;
    const ops = stale.candidate.evidence!.trace.map((s) => s.action.op);
    expect(ops.length).toBeLessThanOrEqual(5);
    // Tim Deegan's race: look up, balloon out, reallocate.
    expect(ops[0]).toBe('shadowSet');
    expect(ops).toContain('decreaseReservation');
    expect(stale.baseline).toEqual({ verdict: 'holds' });
    // The baseline was really exercised: balloons of shadowed GFNs happened and freed frames were reused.
    expect(r.stats.baseline.situations['mapped-or-shadowed-gfn-ballooned']).toBeGreaterThan(0);
    expect(r.stats.baseline.situations['freed-frame-reallocated']).toBeGreaterThan(0);
  });

  it('the translate ops without the PV dom0 world: a raw MFN reaches a frame only where it collides with a bus address map-for-DMA handed out', async () => {
    // Why the worked example overrides buildWorld: in map-for-DMA's world a raw MFN is read as a BFN of
    // the backend's own IOMMU table. It reaches nothing by itself; what breaks is the collision Jan
    // Beulich warns of (seed 000), a map-for-DMA at the caller's address equal to that number.
    const wrongWorld = deriveDesign(xenMapForDma, { id: 'translate-in-pvh', ops: { shadowSet: makeShadowSet(translateGpfn), shadowClear: makeShadowClear(translateGpfn) } });
    const r = await runAudit({ baseline: xenMapForDma, candidate: wrongWorld, seed: 1, budget, scope: DEFAULT_SCOPE, corpusFiles: [] });
    const broken = r.rows.filter((row) => row.change === 'newly broken');
    expect(broken.length).toBeGreaterThan(0);
    for (const row of broken) {
      const trace = row.candidate.evidence!.trace;
      const raw = trace.filter((s) => s.action.op === 'shadowSet' && s.result.ok).map((s) => (s.result as { value: number }).value);
      expect(trace.some((s) => s.action.op === 'shadowSetAt' && raw.includes(s.action.at as number)), row.invariant).toBe(true);
    }
    expect(r.stats.candidate.situations['dma-into-reallocated-frame']).toBeUndefined();
  });

  it('a design identical to its baseline: nothing new', async () => {
    const r = await runAudit({ baseline: xenMapForDma, candidate: await design('examples/map-for-dma-unchanged.ts'), seed: 1, budget, scope: DEFAULT_SCOPE, corpusFiles: [] });
    expect(r.rows.every((row) => row.change === 'unchanged')).toBe(true);
    expect(r.newlyBroken).toBe(0);
    expect(r.newlyFixed).toBe(0);
    expect(r.stats.candidate.steps).toBe(r.stats.baseline.steps);
  });

  it('the knob file (no target check) newly breaks no-foreign-reach and level 1 only', async () => {
    const r = await runAudit({ baseline: xenMapForDma, candidate: await design('examples/map-any-domain.json'), seed: 1, budget, scope: DEFAULT_SCOPE, corpusFiles: [] });
    expect(r.rows.filter((row) => row.change === 'newly broken').map((row) => row.invariant)).toEqual(['no-foreign-reach', 'level-1-clients-only']);
  });

  it('swapping the sides reports the fix: newly fixed with the baseline trace', async () => {
    const translate = await design('examples/translate-gpfn-2014.ts');
    const r = await runAudit({ baseline: translate, candidate: xenMapForDma, seed: 1, budget, scope: DEFAULT_SCOPE, corpusFiles: [] });
    expect(r.newlyFixed).toBe(6);
    expect(r.newlyBroken).toBe(0);
    expect(r.rows.find((row) => row.invariant === 'no-stale-reference')!.baseline.evidence?.from).toBe('fuzz');
  });

  it('replays corpus entries on both sides; an entry that holds on the baseline and breaks on the candidate is newly broken', async () => {
    const dir = tempDir();
    // Recorded on the baseline with checkTarget=false: it breaks there and on the candidate with the same setting.
    const anyDomain = entryFor(xenMapForDma, 'no-foreign-reach', [{ op: 'shadowSet', client: 3, slot: 0, gfn: 0 }], { checkTarget: false });
    const f1 = saveEntry(dir, xenMapForDma, anyDomain).file;
    const candidate = await design('examples/translate-gpfn-2014.ts');
    // Recorded on the candidate at its defaults: the race — the baseline does not apply it the same way.
    const race = entryFor(candidate, 'no-stale-reference', [
      { op: 'shadowSet', client: 1, slot: 0, gfn: 0 },
      { op: 'decreaseReservation', dom: 1, gfn: 0 },
      { op: 'populatePhysmap', dom: 0, gfn: 4, mfn: 6 },
    ]);
    const f2 = saveEntry(dir, candidate, race).file;
    const r = await runAudit({ baseline: xenMapForDma, candidate, seed: 1, budget: { runs: 20 }, scope: DEFAULT_SCOPE, corpusFiles: [f1, f2, `${dir}/missing.json`] });
    expect(r.corpus.map((c) => [c.file, c.settings, c.baseline, c.candidate, c.change])).toEqual([
      [f1, ['checkTarget=false'], 'violated at step 1', 'violated at step 1', 'unchanged'],
      [f2, [], 'holds through all 3 steps', 'violated at step 3', 'newly broken'],
    ]);
    expect(r.skipped).toEqual([expect.stringMatching(/missing\.json: cannot read/)]);
    // A default-setting entry is evidence for the main table too.
    expect(r.rows.find((row) => row.invariant === 'no-stale-reference')!.change).toBe('newly broken');
  });
});

describe('auditJunit', () => {
  it('a suite per design, a case per invariant; newly broken cases fail with the trace', async () => {
    const r = await worked();
    const xml = auditJunit(r, 'npx shadowcheck audit examples/translate-gpfn-2014.ts --seed 1 --runs 1000');
    const n = xenMapForDma.invariants.length;
    expect(xml.startsWith(`<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="shadowcheck audit translate-gpfn-2014" tests="${2 * n}" failures="6" errors="0" time="`)).toBe(true);
    expect(xml).toMatch(new RegExp(`<testsuite name="xen-map-for-dma \\(baseline\\)" tests="${n}" failures="0" errors="0" skipped="0" time="\\d+\\.\\d{3}">`));
    expect(xml).toMatch(new RegExp(`<testsuite name="translate-gpfn-2014 \\(candidate\\)" tests="${n}" failures="6" errors="0" skipped="0" time="\\d+\\.\\d{3}">`));
    expect(xml).toContain('<property name="seed" value="1"/>');
    expect(xml.match(/<testcase /g)).toHaveLength(2 * n);
    const failure = /<testcase name="no-stale-reference" classname="translate-gpfn-2014">\n      <failure type="newly-broken" message="no-stale-reference newly broken by translate-gpfn-2014 \(security\)">([^<]*)<\/failure>/.exec(xml);
    expect(failure?.[1]).toMatch(/\n {3}1\. shadowSet client=\d slot=0 gfn=\d+ +→ ok → 0x[0-9a-f]+/);
    expect(failure?.[1]).toMatch(/witness \(no-stale-reference\): /);
    expect(failure?.[1]).toContain('re-run: npx shadowcheck audit examples/translate-gpfn-2014.ts --seed 1 --runs 1000');
    expect(xmlProblem(xml)).toBeUndefined();
  });
});
