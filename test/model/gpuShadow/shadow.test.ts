import { describe, expect, it } from 'vitest';
import {
  countTrackers,
  forEachShadowEntry,
  inSlice,
  isMirrored,
  livePpgtts,
  liveVgpuClients,
  mirrorsFrame,
  namesGfn,
  ppgttLeaf,
  sliceOwner,
  trackerKey,
  vgpuOf,
} from '../../../src/model/gpuShadow/shadow.ts';
import { apertureReach, shadowGpuReach, shadowRefs } from '../../../src/model/gpuShadow/reach.ts';
import type { ReachEntry, Ref } from '../../../src/model/core/path.ts';
import { reach } from '../../../src/model/reach.ts';
import { refs } from '../../../src/model/refs.ts';
import type { State } from '../../../src/model/core/state.ts';
import type { ShadowEntry, ShadowPpgtt } from '../../../src/model/gpuShadow/state.ts';
import { shadowWorld } from '../../fixtures/gpuShadow.ts';

/** A raw-MFN shadow entry for dom's gfn naming frame mfn at generation 1. */
function entry(client: number, gfn: number, mfn: number, pinned = false): ShadowEntry {
  return { gfn, addr: mfn, addrKind: 'mfn', gen: 1, client, pinned };
}

/** dom1's PPGTT rooted at gfn 0 (mfn 6) whose PD entry 1 names the page table at gfn 1 (mfn 7), leaf 0 → gfn 2 (mfn 8). */
function ppgtt(): ShadowPpgtt {
  return {
    root: { gfn: 0, mfn: 6, gen: 1 },
    pts: [null, { gfn: 1, mfn: 7, gen: 1, entries: [entry(1, 2, 8, true), null] }],
  };
}

function withShadows(): State {
  const s = shadowWorld();
  const sh = s.gpu.shadow!;
  sh.ggtt[0] = entry(1, 3, 9);
  sh.ggtt[5] = entry(2, 0, 10);
  sh.vgpus[1].ppgtts[1] = ppgtt();
  return s;
}

describe('queries over the shadows', () => {
  it('slices: who owns a global GTT index', () => {
    const s = shadowWorld();
    const v1 = vgpuOf(s, 1)!;
    expect(inSlice(v1, 3)).toBe(true);
    expect(inSlice(v1, 4)).toBe(false);
    expect(sliceOwner(s, 0)).toBe(1);
    expect(sliceOwner(s, 7)).toBe(2);
    expect(sliceOwner(s, 8)).toBeUndefined();
    expect(vgpuOf(s, 3)).toBeUndefined();
  });

  it('live clients and live PPGTTs', () => {
    const s = withShadows();
    expect(liveVgpuClients(s)).toEqual([1, 2]);
    s.domains[2].state = 'dying';
    expect(liveVgpuClients(s)).toEqual([1]);
    expect(livePpgtts(vgpuOf(s, 1)!)).toEqual([1]);
  });

  it('ppgttLeaf splits a graphics address into PD and PT indices', () => {
    const p = ppgtt();
    expect(ppgttLeaf(p, 2)).toMatchObject({ gfn: 2 });
    expect(ppgttLeaf(p, 3)).toBeNull();
    expect(ppgttLeaf(p, 0)).toBeNull();
  });

  it('mirrors: pages a live shadow reads, by gfn and by frame at its generation', () => {
    const s = withShadows();
    expect(isMirrored(s, 1, 0)).toBe(true);
    expect(isMirrored(s, 1, 1)).toBe(true);
    expect(isMirrored(s, 1, 2)).toBe(false);
    expect(isMirrored(s, 2, 0)).toBe(false);
    expect(mirrorsFrame(s, 7)).toBe(true);
    expect(mirrorsFrame(s, 8)).toBe(false);
    s.frames[7].gen = 2;
    expect(mirrorsFrame(s, 7)).toBe(false);
  });

  it('every present shadow entry, with where it is held', () => {
    const s = withShadows();
    const seen: [number, number, number, number][] = [];
    forEachShadowEntry(s, (e, owner, p, index) => seen.push([e.gfn, owner, p, index]));
    expect(seen).toEqual([
      [3, 1, -1, 0],
      [0, 2, -1, 5],
      [2, 1, 1, 2],
    ]);
    expect(namesGfn(s, 1, 2)).toBe(true);
    expect(namesGfn(s, 2, 2)).toBe(false);
  });

  it('countTrackers counts each mirror of a (VM, gfn)', () => {
    const s = withShadows();
    s.gpu.shadow!.vgpus[1].ppgtts[0] = { root: { gfn: 1, mfn: 7, gen: 1 }, pts: [null, null] };
    const t = countTrackers(s);
    expect(t.get(trackerKey(1, 0))).toBe(1);
    expect(t.get(trackerKey(1, 1))).toBe(2);
    expect(t.size).toBe(2);
  });
});

describe('reach and refs through the shadows', () => {
  it('an idle GPU reaches nothing through the shadows', () => {
    const out: ReachEntry[] = [];
    shadowGpuReach(withShadows(), out);
    expect(out).toEqual([]);
  });

  it("the GPU running dom1 reaches dom1's GGTT slice and its loaded PPGTT, not dom2's slice", () => {
    const s = withShadows();
    s.gpu.shadow!.running = { client: 1, ppgtt: 1 };
    const out: ReachEntry[] = [];
    shadowGpuReach(s, out);
    expect(out.map((e) => [e.principal, e.mfn, e.path.map((h) => h.via)])).toEqual([
      [{ kind: 'gpu', dom: 0, client: 1 }, 9, ['shadowGgtt', 'iommu']],
      [{ kind: 'gpu', dom: 0, client: 1 }, 8, ['shadowPpgtt', 'iommu']],
    ]);
    expect(out[1].path[0]).toEqual({ via: 'shadowPpgtt', owner: 1, ppgtt: 1, gma: 2, client: 1, gfn: 2, addrKind: 'mfn', addr: 8 });
  });

  it('a queued command naming another slice adds that entry; one inside the slice adds nothing new', () => {
    const s = withShadows();
    const sh = s.gpu.shadow!;
    sh.running = { client: 1, ppgtt: -1 };
    sh.vgpus[1].ring.push({ space: 'ggtt', gma: 0, write: true }, { space: 'ggtt', gma: 5, write: true }, { space: 'ppgtt', gma: 2, write: true });
    const out: ReachEntry[] = [];
    shadowGpuReach(s, out);
    expect(out.map((e) => [e.mfn, e.path.map((h) => h.via)])).toEqual([
      [9, ['shadowGgtt', 'iommu']],
      [10, ['gpuCommand', 'shadowGgtt', 'iommu']],
    ]);
  });

  it("each client's CPU reaches its GGTT slice through the aperture; a dying one does not", () => {
    const s = withShadows();
    const out: ReachEntry[] = [];
    apertureReach(s, out);
    expect(out.map((e) => [e.principal, e.mfn, e.path.map((h) => h.via)])).toEqual([
      [{ kind: 'cpu', dom: 1 }, 9, ['aperture', 'shadowGgtt', 'iommu']],
      [{ kind: 'cpu', dom: 2 }, 10, ['aperture', 'shadowGgtt', 'iommu']],
    ]);
    s.domains[2].state = 'dying';
    const again: ReachEntry[] = [];
    apertureReach(s, again);
    expect(again).toHaveLength(1);
  });

  it('shadow entries are references: a pin counted, a raw MFN not; a BFN resolves through the IOMMU', () => {
    const s = withShadows();
    const out: Ref[] = [];
    shadowRefs(s, out);
    expect(out.map((r) => [r.mfn, r.counted, r.holder.via])).toEqual([
      [9, false, 'shadowGgtt'],
      [10, false, 'shadowGgtt'],
      [8, true, 'shadowPpgtt'],
    ]);
    const m = shadowWorld({ backendKind: 'pvh' });
    m.gpu.shadow!.ggtt[0] = { gfn: 1, addr: 3, addrKind: 'bfn', gen: 1, client: 1, pinned: false };
    m.gpu.shadow!.ggtt[1] = { gfn: 2, addr: 4, addrKind: 'bfn', gen: 1, client: 1, pinned: false };
    m.domains[0].iommu[3] = { mfn: 7, gen: 1, counted: true, source: { kind: 'mapForDma', dom: 1, gfn: 1 } };
    const viaIommu: Ref[] = [];
    shadowRefs(m, viaIommu);
    expect(viaIommu.map((r) => r.mfn)).toEqual([7]);
  });

  it('the relations include them: reach and refs go through the seam', () => {
    const s = withShadows();
    s.gpu.shadow!.running = { client: 1, ppgtt: 1 };
    expect(reach(s).filter((e) => e.principal.kind === 'gpu')).toHaveLength(2);
    expect(reach(s).filter((e) => e.path[0].via === 'aperture')).toHaveLength(2);
    expect(refs(s).filter((r) => r.holder.via.startsWith('shadow'))).toHaveLength(3);
  });
});
