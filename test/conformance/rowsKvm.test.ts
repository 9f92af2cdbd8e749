/**
 * Rows of docs/conformance.md that issue 17 fixed in the GPU-shadowing slice (KVMGT's protect table,
 * its memslot removal, vfio's forced unpin, KVM_MR_MOVE) and in the core. Each test is tagged with its
 * row id and asserts what the real code does, as cited in the row: a model that drifts back fails here.
 */
import { describe, expect, it } from 'vitest';
import { noStaleReference } from '../../invariants/core/noStaleReference.ts';
import { trackedWhileShadowed } from '../../invariants/gpuShadow/trackedWhileShadowed.ts';
import { derive } from '../../src/model/derived.ts';
import type { State } from '../../src/model/core/state.ts';
import { kvmgtPageTrack } from '../../src/model/gpuShadow/designs/kvmgtPageTrack.ts';
import { trackCount } from '../../src/model/gpuShadow/pageTrack.ts';
import { run, shadowWorld, withDom1Ppgtt } from '../fixtures/gpuShadow.ts';
import { setTarget } from '../../src/model/core/ops/targets.ts';
import { mapForeign } from '../../src/model/core/ops/foreign.ts';
import { CORE_KNOBS } from '../../src/model/core/knobs.ts';
import { applyOk, expectRefused, world } from '../helpers/world.ts';
import { mapRmrrsChecked } from '../../src/model/rmrr/ops/hypervisor.ts';
import { dev, recorder, v2World } from '../fixtures/rmrr.ts';

const d = kvmgtPageTrack;

/** A KVMGT world (protect table on, as the design builds it) with dom1's PPGTT 0: root gfn 0 → PT gfn 1 → leaf gfn 2. */
function kvmgt(): State {
  return withDom1Ppgtt(d, shadowWorld({ protectTable: true }));
}

describe("KVMGT's protect table", () => {
  it('[KGT-01] a page already write-protected by the vGPU is not tracked with KVM again: two PPGTTs on one root count 1', () => {
    const s = kvmgt();
    const { result, ctx } = run(d, s, 'ppgttCreate', { dom: 1, root: 0 });
    expect(result).toEqual({ ok: true, value: 1 });
    expect(ctx.notes).toContain('pt-page-shared-by-shadows');
    expect([trackCount(s, 1, 0), trackCount(s, 1, 1)]).toEqual([1, 1]);
    expect(s.gpu.shadow!.vgpus[1].protect).toEqual([
      { gfn: 0, users: 2 },
      { gfn: 1, users: 2 },
    ]);
    // So a 1-bit counter is never full: KVM is asked once per page.
    const narrow = withDom1Ppgtt(d, shadowWorld({ protectTable: true, counterBits: 1 }));
    expect(run(d, narrow, 'ppgttCreate', { dom: 1, root: 0 }).ctx.warnings).toEqual([]);
  });

  it('[KGT-02] untracking a page not in the protect table leaves KVM untouched; the last user of one untracks it', () => {
    const s = kvmgt();
    run(d, s, 'ppgttCreate', { dom: 1, root: 0 });
    // One of the two users goes: KVM still tracks both pages.
    run(d, s, 'ppgttDestroy', { dom: 1, ppgtt: 0 });
    expect([trackCount(s, 1, 0), trackCount(s, 1, 1)]).toEqual([1, 1]);
    // The table forgets gfn 1 (as track_remove_region does): releasing the last user does not call KVM for it.
    s.gpu.shadow!.vgpus[1].protect = s.gpu.shadow!.vgpus[1].protect!.filter((p) => p.gfn !== 1);
    const { ctx } = run(d, s, 'ppgttDestroy', { dom: 1, ppgtt: 1 });
    expect(ctx.warnings).toEqual([]);
    expect([trackCount(s, 1, 0), trackCount(s, 1, 1)]).toEqual([0, 1]);
    expect(s.gpu.shadow!.vgpus[1].protect).toEqual([]);
  });

  it('[KGT-03] track_write is handled only for a page in the protect table', () => {
    const s = kvmgt();
    const leaf = () => s.gpu.shadow!.vgpus[1].ppgtts[0]!.pts[0]!.entries[0];
    // Tracked by KVM but no longer in the table: the write traps, KVMGT ignores it.
    s.gpu.shadow!.vgpus[1].protect = [{ gfn: 0, users: 1 }];
    run(d, s, 'guestWritePte', { dom: 1, gfn: 1, index: 0, value: 3 });
    expect(leaf()).toMatchObject({ gfn: 2 });
    s.gpu.shadow!.vgpus[1].protect!.push({ gfn: 1, users: 1 });
    run(d, s, 'guestWritePte', { dom: 1, gfn: 1, index: 0, value: 3 });
    expect(leaf()).toMatchObject({ gfn: 3 });
  });
});

describe('the VMM removing guest memory under KVMGT', () => {
  it("[KGT-04] a memslot delete only deletes the range's protect-table entries: shadows and pins stay, and tracked-while-shadowed sees it", () => {
    const s = kvmgt();
    expect(trackedWhileShadowed.check(derive(s))).toEqual([]);
    expect(run(d, s, 'memslotDelete', { dom: 1, slot: 0 }).result).toEqual({ ok: true });
    expect(s.gpu.shadow!.vgpus[1].protect).toEqual([]);
    const p = s.gpu.shadow!.vgpus[1].ppgtts[0]!;
    expect([p.root.gfn, p.pts[0]!.gfn, p.pts[0]!.entries[0]!.pinned]).toEqual([0, 1, true]);
    expect(s.frames[8].refcount).toBe(1);
    expect(trackedWhileShadowed.check(derive(s)).map((w) => w.holder.gfn)).toEqual([0, 1]);
  });

  it("[KPT-11] KVM_MR_MOVE is refused while KVMGT is attached; with no external tracker, the moved slot's write-track counters start at zero", () => {
    const s = kvmgt();
    const before = structuredClone(s);
    expect(run(d, s, 'memslotMove', { dom: 1, slot: 0, base: 8 }).result).toEqual({ ok: false, err: 'EINVAL' });
    expect(s).toEqual(before);
    const bare = shadowWorld({ protectTable: true });
    bare.pageTrack!.vms[1].notifiers = [];
    bare.pageTrack!.vms[1].memslots[0].writeTrack[2] = 1;
    expect(run(d, bare, 'memslotMove', { dom: 1, slot: 0, base: 8 }).result).toEqual({ ok: true });
    expect(bare.pageTrack!.vms[1].memslots[0]).toMatchObject({ base: 8, writeTrack: [0, 0, 0, 0] });
    // KVM from 2021 to 2023 moved it under KVMGT too, with fresh counters: the shadows stay, untracked.
    run(d, s, 'memslotMove', { dom: 1, slot: 0, base: 8 }, { slotMove: 'fresh-metadata' });
    expect(trackedWhileShadowed.check(derive(s)).map((w) => w.holder.gfn)).toEqual([0, 1]);
  });

  it('[KGT-06] a vfio unmap unpins every cached page in range whatever its users; the shadow entry keeps the address', () => {
    const s = kvmgt();
    run(d, s, 'ggttWrite', { dom: 1, index: 0, value: 2 });
    expect(s.frames[8].refcount).toBe(3);
    const { result, ctx } = run(d, s, 'vfioDmaUnmap', { dom: 1, gfn: 2 });
    expect(result).toEqual({ ok: true });
    expect(ctx.notes).toEqual(['vfio-unmapped-under-shadow']);
    expect(s.frames[8].refcount).toBe(1);
    expect(s.gpu.shadow!.ggtt[0]).toMatchObject({ gfn: 2, addr: 8, pinned: false });
    expect(s.gpu.shadow!.vgpus[1].ppgtts[0]!.pts[0]!.entries[0]).toMatchObject({ gfn: 2, addr: 8, pinned: false });
    // The guest balloons the page out: nothing holds it, the frame is free, another VM gets it.
    run(d, s, 'decreaseReservation', { dom: 1, gfn: 2 });
    expect(s.frames[8].owner.kind).toBe('free');
    run(d, s, 'populatePhysmap', { dom: 2, gfn: 4, mfn: 8 });
    expect(noStaleReference.check(derive(s)).map((w) => w.mfn)).toEqual([8, 8]);
    // Releasing the unpinned entries later puts nothing: KVMGT's cache no longer has them.
    run(d, s, 'ppgttDestroy', { dom: 1, ppgtt: 0 });
    expect(s.frames[8].refcount).toBe(1);
  });
});

describe('domains and targets', () => {
  it("[DOM-04] set_target is set-once: a domain that has a target answers EINVAL and keeps it (the model's re-targeting is setTargetOnce=false)", () => {
    const s = world();
    applyOk(s, setTarget, { backend: 3, dom: 1 });
    expectRefused(s, setTarget, { backend: 3, dom: 2 }, 'EINVAL');
    expect(s.domains[3].targets).toEqual([1]);
    applyOk(s, setTarget, { backend: 3, dom: 2 }, { setTargetOnce: false });
    expect(s.domains[3].targets).toEqual([2]);
    // Xen's rule is the default a design gets unless it declares the knob otherwise.
    expect(CORE_KNOBS.setTargetOnce.default).toBe(true);
  });
});

describe('RMRR identity maps', () => {
  it('[PCI-06] an emulated-MMIO entry at an RMRR GFN counts as unoccupied: the identity map replaces it', () => {
    const s = v2World();
    s.domains[2].p2m[12] = { mfn: 12, type: 'mmio_dm', gen: 0, counted: false };
    expect(mapRmrrsChecked(s, s.platform!, 2, dev(s, 'igd0'), 'fail', recorder())).toEqual({ ok: true });
    expect(s.domains[2].p2m[12]).toMatchObject({ mfn: 12, type: 'mmio_direct' });
    // Any other entry there is still a conflict.
    const t = v2World();
    t.domains[2].p2m[12] = { mfn: 12, type: 'mmio_direct', gen: 0, counted: false };
    t.frames[12].owner = { kind: 'free' };
    expect(mapRmrrsChecked(t, t.platform!, 2, dev(t, 'igd0'), 'fail', recorder())).toEqual({ ok: false, err: 'EBUSY' });
  });
});

describe('foreign maps', () => {
  it("[FGN-05] a foreign map over the caller's own RAM removes that page first (freed on the last put); over another domain's page or direct MMIO it is refused", () => {
    const s = world();
    const old = s.domains[0].p2m[0]!.mfn;
    const mfn = s.domains[1].p2m[2]!.mfn;
    const { notes } = applyOk(s, mapForeign, { caller: 0, target: 1, gfn: 2, callerGfn: 0 });
    expect(notes).toEqual(['foreign-map-over-own-ram']);
    expect(s.domains[0].p2m[0]).toMatchObject({ mfn, type: 'foreign', foreign: { dom: 1, gfn: 2 } });
    expect(s.frames[old].owner.kind).toBe('free');
    expectRefused(s, mapForeign, { caller: 0, target: 1, gfn: 1, callerGfn: 0 }, 'EINVAL');
    s.domains[0].p2m[1] = { mfn: 30, type: 'mmio_direct', gen: 0, counted: false };
    expectRefused(s, mapForeign, { caller: 0, target: 1, gfn: 1, callerGfn: 1 }, 'EPERM');
  });
});
