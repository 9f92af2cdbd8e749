import { describe, expect, it } from 'vitest';
import { writeFrameEntry } from '../../../../src/model/gpuShadow/guestPages.ts';
import { trackCount } from '../../../../src/model/gpuShadow/pageTrack.ts';
import type { State } from '../../../../src/model/core/state.ts';
import type { ShadowPpgtt } from '../../../../src/model/gpuShadow/state.ts';
import { flushSlot, invalidateGfn, releasePpgtt, releaseVgpu, shadowPpgtt, shadowPt, trackWrite } from '../../../../src/model/gpuShadow/ops/deviceModel.ts';
import { pinGuestPage } from '../../../../src/model/gpuShadow/ops/shadowResolver.ts';
import { recordingContext, shadowWorld } from '../../../fixtures/gpuShadow.ts';

const r = pinGuestPage;

/** dom1's guest tables: root gfn 0 (mfn 6) with PD[0] → gfn 1; PT gfn 1 (mfn 7) = [gfn 2, gfn 3]. */
function guestTables(s: State): void {
  writeFrameEntry(s, 6, 0, 1);
  writeFrameEntry(s, 7, 0, 2);
  writeFrameEntry(s, 7, 1, 3);
}

function built(s: State): ShadowPpgtt {
  guestTables(s);
  const p = shadowPpgtt(s, r, 1, 0, recordingContext()) as ShadowPpgtt;
  s.gpu.shadow!.vgpus[1].ppgtts[0] = p;
  return p;
}

describe('building shadows', () => {
  it('a PPGTT shadow mirrors the root and each present page table, tracking both and pinning each leaf', () => {
    const s = shadowWorld();
    const p = built(s);
    expect(p.root).toEqual({ gfn: 0, mfn: 6, gen: 1 });
    expect(p.pts[1]).toBeNull();
    expect(p.pts[0]).toMatchObject({ gfn: 1, mfn: 7, gen: 1 });
    expect(p.pts[0]!.entries.map((e) => e && [e.gfn, e.addr, e.pinned])).toEqual([
      [2, 8, true],
      [3, 9, true],
    ]);
    expect([trackCount(s, 1, 0), trackCount(s, 1, 1)]).toEqual([1, 1]);
    expect([s.frames[8].refcount, s.frames[9].refcount]).toEqual([2, 2]);
  });

  it('refuses a root that is not RAM or not in a memslot', () => {
    const s = shadowWorld();
    expect(shadowPpgtt(s, r, 1, 9, recordingContext())).toEqual({ ok: false, err: 'EINVAL' });
    s.domains[1].p2m[12] = s.domains[1].p2m[3];
    s.domains[1].p2m[3] = null;
    const ctx = recordingContext();
    expect(shadowPpgtt(s, r, 1, 12, ctx)).toEqual({ ok: false, err: 'EINVAL' });
    expect(ctx.notes).toEqual(['pt-page-outside-memslots']);
  });

  it('a PD entry naming a page outside the memslots stays scratch', () => {
    const s = shadowWorld();
    s.domains[1].p2m[12] = s.domains[1].p2m[3];
    s.domains[1].p2m[3] = null;
    const ctx = recordingContext();
    expect(shadowPt(s, r, 1, 12, ctx)).toBeNull();
    expect(ctx.notes).toEqual(['pt-page-outside-memslots']);
  });

  it('a counter at its width limit drops the increment with a warning', () => {
    const s = shadowWorld({ counterBits: 1 });
    writeFrameEntry(s, 6, 0, 0);
    const ctx = recordingContext();
    const p = shadowPpgtt(s, r, 1, 0, ctx) as ShadowPpgtt;
    expect(p.pts[0]).toMatchObject({ gfn: 0 });
    expect(trackCount(s, 1, 0)).toBe(1);
    expect(ctx.notes).toEqual(['track-counter-at-width-limit']);
    expect(ctx.warnings[0]).toMatch(/WARN_ON.*dom1 gfn 0/);
    const rel = recordingContext();
    releasePpgtt(s, r, 1, p, rel);
    expect(rel.notes).toEqual(['track-counter-underflow']);
    expect(trackCount(s, 1, 0)).toBe(0);
  });

  it('releasing a PPGTT untracks its pages and unpins its leaves', () => {
    const s = shadowWorld();
    const p = built(s);
    releasePpgtt(s, r, 1, p, recordingContext());
    expect([trackCount(s, 1, 0), trackCount(s, 1, 1)]).toEqual([0, 0]);
    expect([s.frames[8].refcount, s.frames[9].refcount]).toEqual([1, 1]);
  });
});

describe('track_write', () => {
  it('a PT entry write re-resolves that leaf only', () => {
    const s = shadowWorld();
    const p = built(s);
    writeFrameEntry(s, 7, 1, -1);
    trackWrite(s, r, 1, 1, 1, recordingContext());
    expect(p.pts[0]!.entries[1]).toBeNull();
    expect(p.pts[0]!.entries[0]).toMatchObject({ gfn: 2 });
    expect(s.frames[9].refcount).toBe(1);
  });

  it('a PD entry write re-shadows the page table it names', () => {
    const s = shadowWorld();
    const p = built(s);
    writeFrameEntry(s, 6, 1, 1);
    trackWrite(s, r, 1, 0, 1, recordingContext());
    expect(p.pts[1]).toMatchObject({ gfn: 1 });
    expect(trackCount(s, 1, 1)).toBe(2);
    writeFrameEntry(s, 6, 0, -1);
    trackWrite(s, r, 1, 0, 0, recordingContext());
    expect(p.pts[0]).toBeNull();
    expect(trackCount(s, 1, 1)).toBe(1);
    expect(s.frames[8].refcount).toBe(2);
  });

  it('re-reads the page behind the gfn now, and records that frame', () => {
    const s = shadowWorld();
    const p = built(s);
    // The guest repopulated gfn 1 with frame 20 and wrote a new entry there.
    s.domains[1].p2m[1] = { mfn: 20, type: 'ram_rw', gen: 1, counted: true };
    writeFrameEntry(s, 20, 0, 3);
    trackWrite(s, r, 1, 1, 0, recordingContext());
    expect(p.pts[0]).toMatchObject({ gfn: 1, mfn: 20, gen: 0 });
    expect(p.pts[0]!.entries[0]).toMatchObject({ gfn: 3 });
  });

  it('a self-referencing root (its own page table) is re-shadowed once per write: no tracker or pin leaks', () => {
    const s = shadowWorld();
    writeFrameEntry(s, 6, 0, 0);
    const p = shadowPpgtt(s, r, 1, 0, recordingContext()) as ShadowPpgtt;
    s.gpu.shadow!.vgpus[1].ppgtts[0] = p;
    expect(p.pts[0]!.entries[0]).toMatchObject({ gfn: 0, pinned: true });
    expect([trackCount(s, 1, 0), s.frames[6].refcount]).toEqual([2, 2]);
    for (let i = 0; i < 3; i++) trackWrite(s, r, 1, 0, 0, recordingContext());
    expect([trackCount(s, 1, 0), s.frames[6].refcount]).toEqual([2, 2]);
    expect(p.pts[0]!.entries[0]).toMatchObject({ gfn: 0 });
  });

  it('does nothing for a VM without a vGPU', () => {
    const s = shadowWorld();
    const before = JSON.stringify(s);
    trackWrite(s, r, 3, 0, 0, recordingContext());
    expect(JSON.stringify(s)).toBe(before);
  });
});

describe('invalidation, flush and release', () => {
  it('invalidateGfn of a leaf drops its translations; of a page table forgets its frame but keeps tracking', () => {
    const s = shadowWorld();
    const p = built(s);
    s.gpu.shadow!.ggtt[0] = pinGuestPage.obtain(s, 0, 1, 2, recordingContext()) as never;
    invalidateGfn(s, r, 1, 2, recordingContext());
    expect(p.pts[0]!.entries[0]).toBeNull();
    expect(s.gpu.shadow!.ggtt[0]).toBeNull();
    expect(s.frames[8].refcount).toBe(1);
    invalidateGfn(s, r, 1, 1, recordingContext());
    expect(p.pts[0]).toMatchObject({ gfn: 1, mfn: -1, entries: [null, null] });
    expect(trackCount(s, 1, 1)).toBe(1);
  });

  it('invalidateGfn of a root drops every page table under it', () => {
    const s = shadowWorld();
    const p = built(s);
    invalidateGfn(s, r, 1, 0, recordingContext());
    expect(p.root).toEqual({ gfn: 0, mfn: -1, gen: 0 });
    expect(p.pts).toEqual([null, null]);
    expect([trackCount(s, 1, 0), trackCount(s, 1, 1)]).toEqual([1, 0]);
  });

  it('flushSlot drops every shadow built from the slot: a PPGTT rooted there, and the running context loses it', () => {
    const s = shadowWorld();
    built(s);
    s.gpu.shadow!.running = { client: 1, ppgtt: 0 };
    flushSlot(s, r, 1, 0, 4, recordingContext());
    expect(s.gpu.shadow!.vgpus[1].ppgtts).toEqual([null, null]);
    expect(s.gpu.shadow!.running).toEqual({ client: 1, ppgtt: -1 });
    expect([trackCount(s, 1, 0), trackCount(s, 1, 1), s.frames[8].refcount]).toEqual([0, 0, 1]);
  });

  it('flushSlot of another slot drops only what was built from it', () => {
    const s = shadowWorld();
    guestTables(s);
    // The page table and one leaf live in slot 1 (gfn 4, 5).
    s.domains[1].p2m[4] = { mfn: 20, type: 'ram_rw', gen: 1, counted: true };
    s.domains[1].p2m[5] = { mfn: 21, type: 'ram_rw', gen: 1, counted: true };
    s.frames[20] = { ...s.frames[20], owner: { kind: 'dom', dom: 1 }, gen: 1, refcount: 1 };
    s.frames[21] = { ...s.frames[21], owner: { kind: 'dom', dom: 1 }, gen: 1, refcount: 1 };
    writeFrameEntry(s, 6, 1, 4);
    writeFrameEntry(s, 20, 0, 2);
    writeFrameEntry(s, 7, 1, 5);
    const p = shadowPpgtt(s, r, 1, 0, recordingContext()) as ShadowPpgtt;
    s.gpu.shadow!.vgpus[1].ppgtts[0] = p;
    flushSlot(s, r, 1, 4, 4, recordingContext());
    expect(p.pts[1]).toBeNull();
    expect(p.pts[0]!.entries.map((e) => e?.gfn ?? null)).toEqual([2, null]);
    expect(trackCount(s, 1, 4)).toBe(0);
    expect(s.frames[21].refcount).toBe(1);
  });

  it('releaseVgpu gives everything back and forgets the client', () => {
    const s = shadowWorld();
    built(s);
    const sh = s.gpu.shadow!;
    sh.ggtt[1] = pinGuestPage.obtain(s, 0, 1, 3, recordingContext()) as never;
    // A translation of dom1's page that landed in dom2's slice goes too.
    sh.ggtt[6] = pinGuestPage.obtain(s, 0, 1, 3, recordingContext()) as never;
    sh.vgpus[1].ring.push({ space: 'ggtt', gma: 1, write: true });
    sh.running = { client: 1, ppgtt: 0 };
    releaseVgpu(s, r, 1, recordingContext());
    expect(sh.vgpus[1]).toBeUndefined();
    expect(sh.running).toBeNull();
    expect(sh.ggtt).toEqual(new Array(8).fill(null));
    expect(s.pageTrack!.vms[1].notifiers).toEqual([]);
    expect([s.frames[8].refcount, s.frames[9].refcount, trackCount(s, 1, 0)]).toEqual([1, 1, 0]);
    releaseVgpu(s, r, 1, recordingContext());
  });
});
