import { describe, expect, it } from 'vitest';
import { addPage, emptySlot, registerNotifier, removePage, slotHasTracking, slotOf, trackCount, unregisterNotifier } from '../../../src/model/gpuShadow/pageTrack.ts';
import { shadowWorld } from '../../fixtures/gpuShadow.ts';

describe('page tracking (kvm_page_track_*)', () => {
  it('slotOf finds the memslot holding a gfn, none outside every slot', () => {
    const s = shadowWorld();
    const vm = s.pageTrack!.vms[1];
    expect(slotOf(vm, 0)).toBe(vm.memslots[0]);
    expect(slotOf(vm, 5)).toBe(vm.memslots[1]);
    expect(slotOf(vm, 8)).toBeUndefined();
    expect(slotOf(undefined, 0)).toBeUndefined();
  });

  it('add_page counts trackers per gfn in its slot; remove_page gives them back one by one', () => {
    const s = shadowWorld();
    expect(addPage(s, 1, 5)).toBe('ok');
    expect(addPage(s, 1, 5)).toBe('ok');
    expect(trackCount(s, 1, 5)).toBe(2);
    expect(s.pageTrack!.vms[1].memslots[1].writeTrack).toEqual([0, 2, 0, 0]);
    expect(removePage(s, 1, 5)).toBe('ok');
    expect(trackCount(s, 1, 5)).toBe(1);
    expect(removePage(s, 1, 5)).toBe('ok');
    expect(trackCount(s, 1, 5)).toBe(0);
  });

  it('a gfn outside the memslots cannot be tracked', () => {
    const s = shadowWorld();
    expect(addPage(s, 1, 12)).toBe('no-slot');
    expect(removePage(s, 1, 12)).toBe('no-slot');
    expect(trackCount(s, 1, 12)).toBe(0);
  });

  it('at the width limit the increment is dropped (KVM WARN_ON), below zero the decrement is', () => {
    const s = shadowWorld({ counterBits: 1 });
    expect(s.pageTrack!.counterMax).toBe(1);
    expect(addPage(s, 1, 0)).toBe('ok');
    expect(addPage(s, 1, 0)).toBe('at-limit');
    expect(trackCount(s, 1, 0)).toBe(1);
    expect(removePage(s, 1, 0)).toBe('ok');
    expect(removePage(s, 1, 0)).toBe('underflow');
    expect(trackCount(s, 1, 0)).toBe(0);
  });

  it('with no page tracking in the world nothing is tracked', () => {
    const s = shadowWorld();
    delete s.pageTrack;
    expect(addPage(s, 1, 0)).toBe('no-slot');
    expect(trackCount(s, 1, 0)).toBe(0);
    expect(registerNotifier(s, 1, 'x')).toBe(false);
  });

  it('notifiers register once and unregister once; a VM without tracking has none', () => {
    const s = shadowWorld();
    expect(s.pageTrack!.vms[1].notifiers).toEqual(['gvt']);
    expect(unregisterNotifier(s, 1, 'gvt')).toBe(true);
    expect(unregisterNotifier(s, 1, 'gvt')).toBe(false);
    expect(s.pageTrack!.vms[1].notifiers).toEqual([]);
    expect(registerNotifier(s, 1, 'gvt')).toBe(true);
    expect(registerNotifier(s, 1, 'gvt')).toBe(false);
    expect(s.pageTrack!.vms[1].notifiers).toEqual(['gvt']);
    expect(registerNotifier(s, 3, 'gvt')).toBe(false);
    expect(unregisterNotifier(s, 3, 'gvt')).toBe(false);
  });

  it('slotHasTracking says whether any counter of a slot is live', () => {
    const slot = emptySlot(4, 3);
    expect(slot).toEqual({ base: 4, npages: 3, dirtyLog: false, writeTrack: [0, 0, 0] });
    expect(slotHasTracking(slot)).toBe(false);
    slot.writeTrack[2] = 1;
    expect(slotHasTracking(slot)).toBe(true);
  });
});
