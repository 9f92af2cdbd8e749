import { describe, expect, it } from 'vitest';
import { allocFrame, putRef } from '../../../src/model/core/frames.ts';
import { frameEntry, guestEntry, NOT_PRESENT, ownRamFrame, writeFrameEntry } from '../../../src/model/gpuShadow/guestPages.ts';
import { shadowWorld } from '../../fixtures/gpuShadow.ts';

describe('guest page contents', () => {
  it('a page never written reads as not present everywhere', () => {
    const s = shadowWorld();
    expect(frameEntry(s, 6, 0)).toBe(NOT_PRESENT);
    expect(frameEntry(s, 6, 1)).toBe(NOT_PRESENT);
    expect(s.pageData).toBeUndefined();
  });

  it('a write sets one entry of the frame, tagged with its generation', () => {
    const s = shadowWorld();
    writeFrameEntry(s, 6, 1, 3);
    expect(frameEntry(s, 6, 1)).toBe(3);
    expect(frameEntry(s, 6, 0)).toBe(NOT_PRESENT);
    expect(s.pageData![6]).toEqual({ gen: 1, entries: [NOT_PRESENT, 3] });
  });

  it('a frame freed and handed out again reads as a fresh page; a new write starts from zero', () => {
    const s = shadowWorld();
    writeFrameEntry(s, 6, 0, 2);
    writeFrameEntry(s, 6, 1, 3);
    s.domains[1].p2m[0] = null;
    putRef(s, 6);
    allocFrame(s, 6, { kind: 'dom', dom: 2 });
    expect(frameEntry(s, 6, 0)).toBe(NOT_PRESENT);
    writeFrameEntry(s, 6, 0, 1);
    expect(s.pageData![6]).toEqual({ gen: 2, entries: [1, NOT_PRESENT] });
  });

  it('ownRamFrame names the frame behind a RAM gfn only', () => {
    const s = shadowWorld();
    expect(ownRamFrame(s, 1, 0)).toBe(6);
    expect(ownRamFrame(s, 1, 9)).toBeUndefined();
    s.domains[1].p2m[9] = { mfn: 10, type: 'grant_map_rw', gen: 1, counted: true, grant: { granter: 2, ref: 0 } };
    expect(ownRamFrame(s, 1, 9)).toBeUndefined();
    expect(ownRamFrame(s, 7, 0)).toBeUndefined();
  });

  it('guestEntry reads through the p2m: the page behind the gfn now', () => {
    const s = shadowWorld();
    writeFrameEntry(s, 7, 0, 2);
    expect(guestEntry(s, 1, 1, 0)).toBe(2);
    s.domains[1].p2m[1] = null;
    expect(guestEntry(s, 1, 1, 0)).toBe(NOT_PRESENT);
  });
});
