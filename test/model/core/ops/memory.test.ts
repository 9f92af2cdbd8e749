import { describe, expect, it } from 'vitest';
import { DEFAULT_SCOPE } from '../../../../src/model/core/scope.ts';
import { mapForeign } from '../../../../src/model/core/ops/foreign.ts';
import { decreaseReservation, populatePhysmap, xenAllocPage, xenFreePage } from '../../../../src/model/core/ops/memory.ts';
import { FREE_MFN, applyOk, expectRefused, p2m, world } from '../../../helpers/world.ts';

describe('populatePhysmap', () => {
  it('hands the chosen free frame to the guest at its empty gfn, with a new generation', () => {
    const s = world();
    const { result, notes } = applyOk(s, populatePhysmap, { dom: 1, gfn: 5, mfn: FREE_MFN });
    expect(result).toEqual({ ok: true, value: FREE_MFN });
    expect(s.frames[FREE_MFN]).toMatchObject({ owner: { kind: 'dom', dom: 1 }, gen: 1, refcount: 1 });
    expect(p2m(s, 1, 5)).toEqual({ mfn: FREE_MFN, type: 'ram_rw', gen: 1, counted: true });
    expect(s.domains[1].totPages).toBe(5);
    expect(notes).toEqual([]);
  });

  it('notes a just-freed frame handed out again, and bumps its generation', () => {
    const s = world();
    const mfn = p2m(s, 1, 0).mfn;
    s.clock = 7;
    applyOk(s, decreaseReservation, { dom: 1, gfn: 0 });
    const { notes } = applyOk(s, populatePhysmap, { dom: 3, gfn: 8, mfn });
    expect(notes).toEqual(['freed-frame-reallocated']);
    expect(s.frames[mfn]).toMatchObject({ owner: { kind: 'dom', dom: 3 }, gen: 2, freedAt: 7 });
    expect(p2m(s, 3, 8).gen).toBe(2);
  });

  it('refuses a domain that is not running (ESRCH)', () => {
    const s = world();
    expectRefused(s, populatePhysmap, { dom: 4, gfn: 0, mfn: FREE_MFN }, 'ESRCH');
    expectRefused(s, populatePhysmap, { dom: 99, gfn: 0, mfn: FREE_MFN }, 'ESRCH');
  });

  it('refuses a gfn outside the p2m (EINVAL)', () => {
    const s = world();
    expectRefused(s, populatePhysmap, { dom: 1, gfn: -1, mfn: FREE_MFN }, 'EINVAL');
    expectRefused(s, populatePhysmap, { dom: 1, gfn: DEFAULT_SCOPE.gfns, mfn: FREE_MFN }, 'EINVAL');
  });

  it('refuses a gfn already populated (EEXIST)', () => {
    expectRefused(world(), populatePhysmap, { dom: 1, gfn: 0, mfn: FREE_MFN }, 'EEXIST');
  });

  it('refuses a domain at its max_pages (ENOMEM)', () => {
    const s = world();
    s.domains[1].totPages = s.domains[1].maxPages;
    expectRefused(s, populatePhysmap, { dom: 1, gfn: 5, mfn: FREE_MFN }, 'ENOMEM');
  });

  it('refuses a frame that is not free RAM: owned, Xen\'s, MMIO or no such frame (ENOMEM)', () => {
    const s = world();
    s.frames[FREE_MFN + 1].kind = 'mmio';
    for (const mfn of [p2m(s, 2, 0).mfn, 0, FREE_MFN + 1, s.frames.length]) {
      expectRefused(s, populatePhysmap, { dom: 1, gfn: 5, mfn }, 'ENOMEM');
    }
  });

  it('resolves to nothing when the domain is not running, its p2m is full or no frame is free', () => {
    const s = world();
    const raw = { dom: 1, gfn: 0, mfn: 0 };
    expect(populatePhysmap.resolve(s, raw, DEFAULT_SCOPE)).toEqual({ dom: 1, gfn: 4, mfn: 18 });
    expect(populatePhysmap.resolve(s, { ...raw, dom: 4 }, DEFAULT_SCOPE)).toBeNull();
    const full = world();
    full.domains[1].p2m.fill({ mfn: 6, type: 'ram_rw', gen: 1, counted: true });
    expect(populatePhysmap.resolve(full, raw, DEFAULT_SCOPE)).toBeNull();
    const exhausted = world();
    for (const f of exhausted.frames) if (f.owner.kind === 'free') f.owner = { kind: 'xen' };
    expect(populatePhysmap.resolve(exhausted, raw, DEFAULT_SCOPE)).toBeNull();
  });
});

describe('decreaseReservation', () => {
  it('frees a frame nobody else references: owner free, tot_pages down, freed at this step', () => {
    const s = world();
    const mfn = p2m(s, 2, 1).mfn;
    s.clock = 3;
    const { notes } = applyOk(s, decreaseReservation, { dom: 2, gfn: 1 });
    expect(s.domains[2].p2m[1]).toBeNull();
    expect(s.frames[mfn]).toEqual({ owner: { kind: 'free' }, kind: 'ram', gen: 1, refcount: 0, freedAt: 3 });
    expect(s.domains[2].totPages).toBe(3);
    expect(notes).toEqual([]);
  });

  it('balloons out read-only RAM too', () => {
    const s = world();
    s.domains[2].p2m[1] = { ...p2m(s, 2, 1), type: 'ram_ro' };
    applyOk(s, decreaseReservation, { dom: 2, gfn: 1 });
    expect(s.domains[2].p2m[1]).toBeNull();
  });

  it('leaves a frame someone still maps allocated to its owner, and notes the race', () => {
    const s = world();
    applyOk(s, mapForeign, { caller: 0, target: 1, gfn: 2, callerGfn: 9 });
    const mfn = p2m(s, 1, 2).mfn;
    const { notes } = applyOk(s, decreaseReservation, { dom: 1, gfn: 2 });
    expect(notes).toEqual(['mapped-or-shadowed-gfn-ballooned']);
    expect(s.domains[1].p2m[2]).toBeNull();
    expect(s.frames[mfn]).toMatchObject({ owner: { kind: 'dom', dom: 1 }, refcount: 1, freedAt: -1 });
    expect(s.domains[1].totPages).toBe(4);
  });

  it('refuses a domain that is not running (ESRCH)', () => {
    expectRefused(world(), decreaseReservation, { dom: 4, gfn: 0 }, 'ESRCH');
  });

  it('refuses an empty or out-of-range gfn (ENOENT)', () => {
    const s = world();
    expectRefused(s, decreaseReservation, { dom: 1, gfn: 9 }, 'ENOENT');
    expectRefused(s, decreaseReservation, { dom: 1, gfn: DEFAULT_SCOPE.gfns }, 'ENOENT');
  });

  it('refuses a gfn that is not the guest\'s own RAM, e.g. a foreign map (EINVAL)', () => {
    const s = world();
    applyOk(s, mapForeign, { caller: 0, target: 1, gfn: 2, callerGfn: 9 });
    expectRefused(s, decreaseReservation, { dom: 0, gfn: 9 }, 'EINVAL');
  });

  it('resolves only a running domain\'s RAM gfns', () => {
    const s = world();
    applyOk(s, mapForeign, { caller: 0, target: 1, gfn: 2, callerGfn: 9 });
    expect(decreaseReservation.resolve(s, { dom: 0, gfn: 4 }, DEFAULT_SCOPE)).toEqual({ dom: 0, gfn: 0 });
    expect(decreaseReservation.resolve(s, { dom: 4, gfn: 0 }, DEFAULT_SCOPE)).toBeNull();
    for (let gfn = 0; gfn < 4; gfn++) applyOk(s, decreaseReservation, { dom: 3, gfn });
    expect(decreaseReservation.resolve(s, { dom: 3, gfn: 0 }, DEFAULT_SCOPE)).toBeNull();
  });
});

describe('xenAllocPage', () => {
  it('gives Xen a free frame with a new generation and one reference, charging no domain', () => {
    const s = world();
    const tot = s.domains.map((d) => d.totPages);
    const { result, notes } = applyOk(s, xenAllocPage, { mfn: FREE_MFN });
    expect(result).toEqual({ ok: true, value: FREE_MFN });
    expect(s.frames[FREE_MFN]).toMatchObject({ owner: { kind: 'xen' }, gen: 1, refcount: 1 });
    expect(s.domains.map((d) => d.totPages)).toEqual(tot);
    expect(notes).toEqual([]);
  });

  it('notes taking a frame a guest just ballooned out', () => {
    const s = world();
    const mfn = p2m(s, 1, 0).mfn;
    applyOk(s, decreaseReservation, { dom: 1, gfn: 0 });
    expect(applyOk(s, xenAllocPage, { mfn }).notes).toEqual(['freed-frame-reallocated']);
    expect(s.frames[mfn]).toMatchObject({ owner: { kind: 'xen' }, gen: 2 });
  });

  it('refuses a frame that is not free RAM (ENOMEM)', () => {
    const s = world();
    s.frames[FREE_MFN].kind = 'mmio';
    for (const mfn of [0, p2m(s, 1, 0).mfn, FREE_MFN, -1, s.frames.length]) expectRefused(s, xenAllocPage, { mfn }, 'ENOMEM');
  });

  it('resolves to nothing when no frame is free', () => {
    const s = world();
    expect(xenAllocPage.resolve(s, { mfn: 1 }, DEFAULT_SCOPE)).toEqual({ mfn: 19 });
    for (const f of s.frames) if (f.owner.kind === 'free') f.owner = { kind: 'xen' };
    expect(xenAllocPage.resolve(s, { mfn: 1 }, DEFAULT_SCOPE)).toBeNull();
  });
});

describe('xenFreePage', () => {
  it('returns a frame Xen allocated at run time to the heap', () => {
    const s = world();
    applyOk(s, xenAllocPage, { mfn: FREE_MFN });
    s.clock = 5;
    applyOk(s, xenFreePage, { mfn: FREE_MFN });
    expect(s.frames[FREE_MFN]).toEqual({ owner: { kind: 'free' }, kind: 'ram', gen: 1, refcount: 0, freedAt: 5 });
  });

  it("refuses Xen's boot frames, which hold no reference, and frames that are not Xen's (EINVAL)", () => {
    const s = world();
    for (const mfn of [0, 1, p2m(s, 1, 0).mfn, FREE_MFN, s.frames.length]) expectRefused(s, xenFreePage, { mfn }, 'EINVAL');
  });

  it('resolves only run-time Xen frames', () => {
    const s = world();
    expect(xenFreePage.resolve(s, { mfn: 0 }, DEFAULT_SCOPE)).toBeNull();
    applyOk(s, xenAllocPage, { mfn: FREE_MFN });
    expect(xenFreePage.resolve(s, { mfn: 3 }, DEFAULT_SCOPE)).toEqual({ mfn: FREE_MFN });
  });
});
