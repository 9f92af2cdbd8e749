/**
 * Property suite for device assignment with RMRRs (issue 4, seed 003). rmrr-2014 breaks in the four
 * ways the thread and the issue describe, each shrunk to a trace of at most 4 actions; rmrr-v2 holds
 * every invariant over 200+ runs from a fixed seed with its risky situations reached, and each knob
 * override breaks exactly the invariant it gives up, with the warning it logged in the trace.
 */
import { describe, expect, it } from 'vitest';
import { findInvariant, INVARIANTS } from '../invariants/registry.ts';
import { noSharedRmrrAcrossVms } from '../invariants/rmrr/noSharedRmrrAcrossVms.ts';
import type { Witness } from '../invariants/types.ts';
import { rmrr2014 } from '../src/model/rmrr/designs/rmrr2014.ts';
import { rmrrV2 } from '../src/model/rmrr/designs/rmrrV2.ts';
import type { Design } from '../src/model/core/design.ts';
import { knobDefaults } from '../src/model/core/design.ts';
import { runCampaign } from '../src/fuzz/campaign.ts';
import type { Counterexample } from '../src/fuzz/campaign.ts';
import { clonePlain } from '../src/model/core/clone.ts';
import { derive } from '../src/model/derived.ts';
import { deviceRmrrGfns } from '../src/model/rmrr/rmrr.ts';
import { DEFAULT_SCOPE } from '../src/model/core/scope.ts';
import type { Action, KnobValues } from '../src/model/core/op.ts';

const SEEDS = [1, 2, 3, 4, 5];

function campaign(design: Design, invariant: string, seed: number, knobs: KnobValues = {}, runs = 1000) {
  return runCampaign(design, {
    seed,
    budget: { runs },
    scope: DEFAULT_SCOPE,
    knobs: { ...knobDefaults(design), ...knobs },
    invariants: [findInvariant(invariant)!],
  });
}

/** The shrunk counterexample of a campaign expected to find one, with its witnesses for `invariant`. */
function broken(design: Design, invariant: string, seed: number, knobs: KnobValues = {}): { cx: Counterexample; witnesses: Witness[] } {
  const v = campaign(design, invariant, seed, knobs).verdicts[0];
  expect(v.verdict).toBe('violated');
  const cx = v.counterexample!;
  expect(cx.trace.length).toBeLessThanOrEqual(4);
  return { cx, witnesses: cx.violations.find((x) => x.invariant === invariant)!.witnesses };
}

const ops = (cx: Counterexample) => cx.trace.map((s) => s.action.op);

/** Apply explicit actions to a fresh world of the design; the final state and each answer. */
function replay(design: Design, actions: readonly Action[], knobs: KnobValues = {}) {
  const all = { ...knobDefaults(design), ...knobs };
  const state = clonePlain(design.buildWorld(DEFAULT_SCOPE, all));
  const ctx = { scope: DEFAULT_SCOPE, knobs: all, note: () => {}, warn: () => {} };
  const results = actions.map(({ op, ...args }) => design.ops.find((o) => o.name === op)!.apply(state, args, ctx));
  return { state, results };
}

describe('rmrr-2014 (shared EPT): four ways to break, each in at most 4 actions', () => {
  it.each(SEEDS)('seed %i — Issue-1: the identity map is missing under shared EPT', (seed) => {
    const { cx, witnesses } = broken(rmrr2014, 'rmrr-identity-while-assigned', seed);
    expect(ops(cx).at(-1)).toBe('assignDevice');
    const assigned = cx.trace.at(-1)!.action;
    // Missing, not replaced: the GFN is empty in the p2m and the IOMMU faults there.
    expect(witnesses).toContainEqual(expect.objectContaining({ reason: 'p2m-not-identity', dom: assigned.dom, actual: 'unmapped' }));
    expect(witnesses).toContainEqual(expect.objectContaining({ reason: 'iommu-not-identity', dom: assigned.dom, actual: 'fault' }));
  });

  it.each(SEEDS)('seed %i — Issue-2: an assignment over already-populated guest RAM', (seed) => {
    const { cx, witnesses } = broken(rmrr2014, 'assign-refused-exactly-on-policy', seed);
    expect(ops(cx).at(-1)).toBe('assignDevice');
    expect(cx.trace.at(-1)!.result.ok).toBe(true);
    expect(witnesses[0]).toMatchObject({ reason: 'assigned-against-policy' });
    expect(witnesses[0].expected).toContain('rmrr-conflict');
    const { dom, device } = cx.trace.at(-1)!.action as unknown as { dom: number; device: string };
    const before = replay(rmrr2014, cx.trace.slice(0, -1).map((s) => s.action)).state;
    const dev = before.platform!.devices.find((d) => d.name === device)!;
    const types = deviceRmrrGfns(before.platform!, dev).map((g) => before.domains[dom].p2m[g]?.type);
    expect(types).toContain('ram_rw');
  });

  it.each(SEEDS)('seed %i — Issue-3: devices sharing an RMRR held by two different VMs', (seed) => {
    const { cx, witnesses } = broken(rmrr2014, 'no-shared-rmrr-across-vms', seed);
    expect(ops(cx).every((op) => op === 'assignDevice' || op === 'createDomain')).toBe(true);
    const split = witnesses.find((w) => w.reason === 'sharing-devices-in-different-domains')!;
    const { devices, owners } = split.actual as { devices: string[]; owners: number[] };
    expect(devices.sort()).toEqual(['usb1', 'usb2']);
    expect(owners[0]).not.toBe(owners[1]);
  });

  it('Issue-3 between two guests: usb1 to dom1 and usb2 to dom2 both succeed, and the pair is split', () => {
    const { state, results } = replay(rmrr2014, [
      { op: 'assignDevice', dom: 1, device: 'usb1' },
      { op: 'assignDevice', dom: 2, device: 'usb2' },
    ]);
    expect(results).toEqual([{ ok: true }, { ok: true }]);
    expect(noSharedRmrrAcrossVms.check(derive(state))).toContainEqual(
      expect.objectContaining({ reason: 'sharing-devices-in-different-domains', actual: { rmrr: 1, devices: ['usb1', 'usb2'], owners: [1, 2] } }),
    );
  });

  it.each(SEEDS)("seed %i — a deassigned device's in-flight DMA lands in the hardware domain's memory", (seed) => {
    const { cx, witnesses } = broken(rmrr2014, 'device-dma-only-own-domain', seed);
    const shape = ops(cx);
    expect(shape.slice(0, 3)).toEqual(['assignDevice', 'programDma', 'deassignDevice']);
    const [assign, program] = cx.trace.map((s) => s.action);
    expect(program).toMatchObject({ dom: assign.dom, device: assign.device });
    const w = witnesses[0];
    expect(w.principal).toEqual({ kind: 'device', dom: assign.dom, device: assign.device });
    expect(w.frame!.owner).toEqual({ kind: 'dom', dom: 0 });
    expect(w.path![0]).toMatchObject({ via: 'dma', inflight: true, by: assign.dom });
    expect(w.path![1]).toMatchObject({ via: 'context', dom: 0 });
  });

  it('the same seed gives the same trace', () => {
    const a = campaign(rmrr2014, 'device-dma-only-own-domain', 7).verdicts[0].counterexample!.trace;
    const b = campaign(rmrr2014, 'device-dma-only-own-domain', 7).verdicts[0].counterexample!.trace;
    expect(a).toEqual(b);
  });
});

describe('rmrr-v2', () => {
  const invariants = INVARIANTS.filter((i) => rmrrV2.invariants.includes(i.id));

  // About 2,100 checked steps each (runs of up to 50 generated actions; those with nothing to act on are skipped).
  it.each([[{}], [{ iommuPt: 'separate' }]])('%j: holds every invariant over 200 runs from seed 1, reaching the risky situations', (knobs) => {
    const r = runCampaign(rmrrV2, { seed: 1, budget: { runs: 200 }, scope: DEFAULT_SCOPE, knobs: { ...knobDefaults(rmrrV2), ...knobs }, invariants });
    expect(r.verdicts.map((v) => [v.invariant, v.verdict])).toEqual(invariants.map((i) => [i.id, 'holds']));
    expect(r.stats.runs).toBeGreaterThanOrEqual(200);
    expect(r.stats.steps).toBeGreaterThan(2000);
    const s = r.stats.situations;
    expect(s['conflicting-assignment-refused']).toBeGreaterThan(0);
    expect(s['shared-rmrr-assignment-refused']).toBeGreaterThan(0);
    expect(s['hotplug-assignment']).toBeGreaterThan(0);
    expect(s['deassign-with-dma-in-flight']).toBeGreaterThan(0);
    expect(s['unreserved-assignment-refused']).toBeGreaterThan(0);
    expect(s['reserved-gfn-map-refused']).toBeGreaterThan(0);
    expect(s['dma-after-deassign-faulted']).toBeGreaterThan(0);
  });

  it('rmrrConflict=warn breaks rmrr-identity-while-assigned, and the trace shows the warning', () => {
    const { cx, witnesses } = broken(rmrrV2, 'rmrr-identity-while-assigned', 1, { rmrrConflict: 'warn' });
    const last = cx.trace.at(-1)!;
    expect(last.action.op).toBe('assignDevice');
    expect(last.warnings).toContainEqual(expect.stringMatching(/conflicts with an existing mapping .* assigning anyway \(rmrrConflict=warn\)/));
    expect(witnesses[0]).toMatchObject({ reason: 'p2m-not-identity', actual: expect.stringMatching(/^ram_rw/) });
    expect(rmrrV2.expect({ ...knobDefaults(rmrrV2), rmrrConflict: 'warn' })['rmrr-identity-while-assigned'].why).toContain("the override's doing");
  });

  it('sharedRmrr=allow breaks no-shared-rmrr-across-vms, and the trace shows the warning', () => {
    const { cx } = broken(rmrrV2, 'no-shared-rmrr-across-vms', 1, { sharedRmrr: 'allow' });
    const warned = cx.trace.flatMap((s) => s.warnings ?? []);
    expect(warned).toContainEqual(expect.stringMatching(/shares an RMRR with .*; assigning anyway because sharedRmrr=allow/));
    expect(rmrrV2.expect({ ...knobDefaults(rmrrV2), sharedRmrr: 'allow' })['no-shared-rmrr-across-vms'].why).toContain("the override's doing");
  });

  it('deassignTo=hwdom brings the in-flight DMA into dom0 back', () => {
    const { cx } = broken(rmrrV2, 'device-dma-only-own-domain', 1, { deassignTo: 'hwdom' });
    expect(ops(cx).slice(0, 3)).toEqual(['assignDevice', 'programDma', 'deassignDevice']);
  });

  it.each([
    [{ rmrrConflict: 'warn' }, 'rmrr-identity-while-assigned'],
    [{ sharedRmrr: 'allow' }, 'no-shared-rmrr-across-vms'],
  ])('%j: the other RMRR invariants still hold', (knobs, broken) => {
    const others = INVARIANTS.filter((i) => rmrrV2.invariants.includes(i.id) && i.id !== broken && i.id !== 'no-foreign-reach' && i.id !== 'device-dma-only-own-domain');
    const r = runCampaign(rmrrV2, { seed: 2, budget: { runs: 200 }, scope: DEFAULT_SCOPE, knobs: { ...knobDefaults(rmrrV2), ...knobs }, invariants: others });
    expect(r.verdicts.every((v) => v.verdict === 'holds')).toBe(true);
  });
});
