/**
 * Survivors of `npm run mutation` in rmrr/ops/dma.ts (docs/mutation.md), and the hypervisor behaviour
 * each test protects.
 */
import { describe, expect, it } from 'vitest';
import { rmrrV2 } from '../../../src/model/rmrr/designs/rmrrV2.ts';
import { act, recorder, v2World } from '../../fixtures/rmrr.ts';

describe('deviceDma', () => {
  it("does not count the driving domain's own DMA as DMA after a deassignment", () => {
    // The survivor (`f.by !== dev.owner` forced true) counted every transfer as one that outlived a
    // deassignment: the risky situation rmrr designs must reach would be "reached" by plain DMA.
    const s = v2World();
    act(rmrrV2, s, { op: 'programDma', dom: 0, device: 'nic0', bfn: 1, write: true });
    const ctx = recorder();
    expect(act(rmrrV2, s, { op: 'deviceDma', device: 'nic0' }, ctx)).toMatchObject({ ok: true });
    expect(ctx.notes).toEqual([]);
  });
});
