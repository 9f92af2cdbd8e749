import { describe, expect, it } from 'vitest';
import { deviceDmaOnlyOwnDomain as inv } from '../../../invariants/rmrr/deviceDmaOnlyOwnDomain.ts';
import { rmrrV2 } from '../../../src/model/rmrr/designs/rmrrV2.ts';
import { act, dev, v2World, view } from '../../fixtures/rmrr.ts';

function inflightDeassigned(deassignTo: string, bfn: number) {
  const s = v2World({ deassignTo });
  act(rmrrV2, s, { op: 'assignDevice', dom: 2, device: 'igd0' });
  act(rmrrV2, s, { op: 'programDma', dom: 2, device: 'igd0', bfn, write: true });
  act(rmrrV2, s, { op: 'deassignDevice', device: 'igd0' });
  return s;
}

describe('device-dma-only-own-domain', () => {
  it('holds at boot and while a device is assigned with DMA programmed', () => {
    const s = v2World();
    expect(inv.check(view(s))).toEqual([]);
    act(rmrrV2, s, { op: 'assignDevice', dom: 2, device: 'igd0' });
    act(rmrrV2, s, { op: 'programDma', dom: 2, device: 'igd0', bfn: 0, write: true });
    expect(inv.check(view(s))).toEqual([]);
  });

  it("is violated by in-flight DMA that lands in the hardware domain's memory after deassignment", () => {
    const s = inflightDeassigned('hwdom', 0);
    const w = inv.check(view(s));
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ reason: 'device-reaches-foreign-frame', principal: { kind: 'device', dom: 2, device: 'igd0' }, frame: { owner: { kind: 'dom', dom: 0 } } });
    expect(inv.describe(w[0])).toMatch(/^dom2 device igd0 → igd0 DMA to bfn 0x0 programmed by dom2 \(in flight\) → dom0 IOMMU context \(shared-ept\) → dom0 p2m gfn 0x0 \(ram_rw\) → mfn 0x4 \(owner dom0, gen 1\): the DMA acts for dom2/);
  });

  it('holds when the quarantine context faults it, or it goes to the device\'s own RMRR', () => {
    expect(inv.check(view(inflightDeassigned('quarantine', 0)))).toEqual([]);
    expect(inv.check(view(inflightDeassigned('quarantine', 12)))).toEqual([]);
    expect(inv.check(view(inflightDeassigned('hwdom', 12)))).toEqual([]);
  });

  it('is violated by a device whose context is not its owner\'s', () => {
    const s = v2World();
    act(rmrrV2, s, { op: 'assignDevice', dom: 1, device: 'nic0' });
    dev(s, 'nic0').context = 2;
    const w = inv.check(view(s));
    expect(w.length).toBeGreaterThan(0);
    expect(w.every((x) => x.principal!.dom === 1 && x.frame!.owner.kind === 'dom' && x.frame!.owner.dom === 2)).toBe(true);
  });

  it('leaves CPUs to no-foreign-reach', () => {
    const s = v2World();
    s.domains[1].p2m[9] = { mfn: s.domains[2].p2m[0]!.mfn, type: 'ram_rw', gen: 1, counted: false };
    expect(inv.check(view(s))).toEqual([]);
  });
});
