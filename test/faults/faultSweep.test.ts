import { describe, expect, it } from 'vitest';
import { DESIGNS } from '../../src/model/designs.ts';
import { knobDefaults } from '../../src/model/core/design.ts';
import { DEFAULT_SCOPE } from '../../src/model/core/scope.ts';
import { makeChecker } from '../../src/runner/checker.ts';
import { recordedFaults } from '../../src/runner/faultInjection.ts';
import { runResolved } from '../../src/runner/run.ts';
import { invariantsOf } from '../../src/fuzz/fuzzDesign.ts';
import { FAILED_POINT_ANSWERS, runFaultCampaign, soundInvariants } from '../../src/fuzz/faultSweep.ts';
import type { Design } from '../../src/model/core/design.ts';
import { fallible } from '../../src/model/core/faults.ts';
import type { OpDef } from '../../src/model/core/op.ts';
import { mapForeign } from '../../src/model/core/ops/foreign.ts';
import { leakOnFailure } from '../fixtures/designs/leakOnFailureMapGrant.ts';

describe('fault injection: the fail_nth sweep', () => {
  it('catches the fixture that does not drop its reference when a later step fails (refcounts-match-refs)', () => {
    const r = runFaultCampaign(leakOnFailure, { seed: 1, runs: 100 });
    const leak = r.findings.find((f) => f.invariant === 'refcounts-match-refs');
    expect(leak).toBeDefined();
    // The shrunk trace names the failure on the violating step: mapGrant's IOMMU page-table page.
    const bad = leak!.trace[leak!.step];
    expect(bad.action.op).toBe('mapGrant');
    expect(bad.fault).toEqual({ point: 'iommu-pt-page', at: 1, err: 'ENOMEM' });
    expect(bad.result).toEqual({ ok: false, err: 'ENOMEM' });
    expect(leak!.trace.length).toBeLessThanOrEqual(4);
  });

  it('the finding replays from its explicit trace, and holds when the recorded fault is left out', () => {
    const r = runFaultCampaign(leakOnFailure, { seed: 1, runs: 100 });
    const leak = r.findings.find((f) => f.invariant === 'refcounts-match-refs')!;
    const knobs = knobDefaults(leakOnFailure);
    const checker = makeChecker(leakOnFailure, knobs, DEFAULT_SCOPE, invariantsOf(leakOnFailure, ['refcounts-match-refs']));
    const actions = leak.trace.map((s) => s.action);
    const again = runResolved(checker, actions, { faults: recordedFaults(leak.trace) }).outcome;
    expect(again.kind).toBe('violation');
    expect(again.kind === 'violation' && again.step).toBe(leak.step);
    expect(runResolved(checker, actions).outcome.kind).toBe('ok');
  });

  it('the same fixture holds without fault injection: only the error path leaks', () => {
    // The sweep's fault-free baselines are part of every campaign; with no fault they find nothing.
    const r = runFaultCampaign(leakOnFailure, { seed: 1, runs: 100 });
    for (const f of r.findings) expect(f.trace.some((s) => s.fault !== undefined)).toBe(true);
  });

  it.each(DESIGNS.map((d) => [d.id, d] as const))('sound invariants of %s hold under the sweep', (_id, design) => {
    const r = runFaultCampaign(design, { seed: 7, runs: 25 });
    expect(r.findings).toEqual([]);
    expect(r.invariants).toEqual(soundInvariants(design, knobDefaults(design)));
  });

  it('the sweep fails every fallible point the core declares, each in some run', () => {
    const design = DESIGNS.find((d) => d.id === 'xen-map-for-dma')!;
    const r = runFaultCampaign(design, { seed: 7, runs: 40 });
    for (const point of ['frame-alloc', 'maptrack-entry', 'iommu-pt-page', 'p2m-pt-page'] as const) {
      expect(r.injected[point] ?? 0).toBeGreaterThan(0);
      // nth: every point a baseline reaches is failed once.
      expect(r.injected[point]).toBe(r.reached[point]);
    }
  });

  it('random mode: same seed, same result; finds the leak; sound design holds', () => {
    const a = runFaultCampaign(leakOnFailure, { seed: 3, runs: 200, mode: { kind: 'random', rate: 0.5 } });
    const b = runFaultCampaign(leakOnFailure, { seed: 3, runs: 200, mode: { kind: 'random', rate: 0.5 } });
    expect(a).toEqual(b);
    expect(a.findings.map((f) => f.invariant)).toContain('refcounts-match-refs');
    const sound = DESIGNS.find((d) => d.id === 'xen-map-for-dma')!;
    const s = runFaultCampaign(sound, { seed: 3, runs: 60, mode: { kind: 'random', rate: 0.5 } });
    expect(s.findings).toEqual([]);
    expect(Object.values(s.injected).reduce((x, y) => x + (y ?? 0), 0)).toBeGreaterThan(20);
  });
});

describe('fault injection: an op that ignores its failed point', () => {
  it('is a finding of its own (failed-point-answers-its-errno), though every invariant holds', () => {
    const sound: OpDef = mapForeign;
    // Reaches the point, then carries on as if the p2m page had been allocated.
    const careless: OpDef = {
      ...sound,
      apply(state, args, ctx) {
        fallible(ctx, 'p2m-pt-page');
        return sound.apply(state, args, { ...ctx, faults: undefined });
      },
    };
    const base = DESIGNS.find((d) => d.id === 'xen-map-for-dma')!;
    const design: Design = { ...base, id: 'careless-map-foreign', ops: base.ops.map((op) => (op.name === 'mapForeign' ? careless : op)) };
    const r = runFaultCampaign(design, { seed: 1, runs: 40 });
    expect(r.findings.map((f) => f.invariant)).toEqual([FAILED_POINT_ANSWERS]);
    const f = r.findings[0];
    expect(f.trace[f.step].action.op).toBe('mapForeign');
    expect(f.trace[f.step].fault?.point).toBe('p2m-pt-page');
    expect(f.trace[f.step].result).not.toEqual({ ok: false, err: 'ENOMEM' });
  });
});
