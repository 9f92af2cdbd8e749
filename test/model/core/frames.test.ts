import { describe, expect, it } from 'vitest';
import { allocFrame, freeFrames, getRef, ownerDom, putRef } from '../../../src/model/core/frames.ts';
import { FREE_MFN, world } from '../../helpers/world.ts';

describe('ownerDom', () => {
  it("names the owning domain, and nothing for Xen's or free frames", () => {
    const s = world();
    expect([6, 0, FREE_MFN].map((mfn) => ownerDom(s.frames[mfn]))).toEqual([1, undefined, undefined]);
  });
});

describe('freeFrames', () => {
  it('lists free RAM only, never-freed frames by MFN', () => {
    const s = world();
    s.frames[19].kind = 'mmio';
    const free = freeFrames(s);
    expect(free.slice(0, 3)).toEqual([18, 20, 21]);
    expect(free).toHaveLength(s.frames.length - 18 - 1);
  });

  it('prefers the most recently freed frame, as Xen\'s heap does', () => {
    const s = world();
    s.clock = 2;
    putRef(s, 6);
    s.clock = 5;
    putRef(s, 11);
    expect(freeFrames(s).slice(0, 3)).toEqual([11, 6, 18]);
  });
});

describe('allocFrame', () => {
  it("gives a domain the frame with a new generation and one reference, counting it in tot_pages", () => {
    const s = world();
    allocFrame(s, FREE_MFN, { kind: 'dom', dom: 2 });
    expect(s.frames[FREE_MFN]).toMatchObject({ owner: { kind: 'dom', dom: 2 }, gen: 1, refcount: 1 });
    expect(s.domains[2].totPages).toBe(5);
  });

  it('gives Xen the frame without charging any domain', () => {
    const s = world();
    allocFrame(s, FREE_MFN, { kind: 'xen' });
    expect(s.frames[FREE_MFN]).toMatchObject({ owner: { kind: 'xen' }, gen: 1, refcount: 1 });
    expect(s.domains.reduce((n, d) => n + d.totPages, 0)).toBe(16);
  });
});

describe('getRef / putRef', () => {
  it('count references on RAM frames', () => {
    const s = world();
    getRef(s, 6);
    expect(s.frames[6].refcount).toBe(2);
    putRef(s, 6);
    expect(s.frames[6]).toMatchObject({ owner: { kind: 'dom', dom: 1 }, refcount: 1 });
  });

  it('free the frame when the last reference goes: owner free, tot_pages down, freedAt this step', () => {
    const s = world();
    s.clock = 9;
    putRef(s, 6);
    expect(s.frames[6]).toEqual({ owner: { kind: 'free' }, kind: 'ram', gen: 1, refcount: 0, freedAt: 9 });
    expect(s.domains[1].totPages).toBe(3);
  });

  it('leave MMIO frames alone: they have no page bookkeeping', () => {
    const s = world();
    s.frames[6].kind = 'mmio';
    getRef(s, 6);
    putRef(s, 6);
    putRef(s, 6);
    expect(s.frames[6]).toMatchObject({ owner: { kind: 'dom', dom: 1 }, refcount: 1 });
  });

  it("turn a dying domain dead when its last frame goes, but not a live one", () => {
    const s = world();
    s.domains[1].state = 'dying';
    for (const mfn of [6, 7, 8]) putRef(s, mfn);
    expect(s.domains[1]).toMatchObject({ state: 'dying', totPages: 1 });
    putRef(s, 9);
    expect(s.domains[1]).toMatchObject({ state: 'dead', totPages: 0 });
    for (const mfn of [10, 11, 12, 13]) putRef(s, mfn);
    expect(s.domains[2]).toMatchObject({ state: 'alive', totPages: 0 });
  });

  it("free a Xen frame without touching any domain's tot_pages", () => {
    const s = world();
    allocFrame(s, FREE_MFN, { kind: 'xen' });
    putRef(s, FREE_MFN);
    expect(s.frames[FREE_MFN].owner).toEqual({ kind: 'free' });
    expect(s.domains.reduce((n, d) => n + d.totPages, 0)).toBe(16);
  });
});
