/**
 * rmrr-identity-while-assigned — while a device with RMRR R belongs to domain D, every GFN of R is
 * identity-mapped (gfn == mfn, a non-RAM type) in D's p2m and in the IOMMU context the device uses;
 * nothing the guest or anyone else does may remove or replace those entries meanwhile.
 * Seed 003: the VT-d requirement Kevin Tian quotes, and George Dunlap: "identity mapping" means
 * "gpfn == mfn, in both the p2m and IOMMU". Issue-1 (no identity map under shared EPT) breaks it.
 * Check it alone: `npx shadowcheck fuzz --invariant rmrr-identity-while-assigned`
 */
import { hex } from '../../src/model/core/words.ts';
import { translateDeviceBfn } from '../../src/model/rmrr/deviceDma.ts';
import { deviceRmrrGfns, isIdentityEntry } from '../../src/model/rmrr/rmrr.ts';
import type { Principal } from '../../src/model/core/path.ts';
import type { StateInvariant, Witness } from '../types.ts';

/** An assigned device's RMRR GFN (`mfn`, equal to it) that is not 1:1 in its domain's p2m or in the IOMMU context it uses. */
export interface RmrrIdentityWitness extends Witness {
  reason: 'p2m-not-identity' | 'iommu-not-identity';
  principal: Principal;
  dom: number;
  mfn: number;
  actual: string;
}

export const rmrrIdentityWhileAssigned: StateInvariant<RmrrIdentityWitness> = {
  kind: 'state',
  id: 'rmrr-identity-while-assigned',
  title: "a device's RMRRs are identity-mapped in its domain's p2m and its IOMMU context while it is assigned",
  category: 'security',
  rationale:
    'The device keeps DMAing to its RMRR by host address; without the identity map that DMA lands in whatever the guest put at that GFN (its own RAM, or nothing), and the device malfunctions or corrupts guest memory.',
  source: 'seed 003: VT-d RMRR requirement quoted by Kevin Tian; George Dunlap ("gpfn == mfn, in both the p2m and IOMMU"); Issue-1',
  check(d) {
    const p = d.state.platform;
    if (p === undefined) return [];
    const out: RmrrIdentityWitness[] = [];
    for (const dev of p.devices) {
      if (dev.owner === null) continue;
      const dom = dev.owner;
      const principal = { kind: 'device' as const, dom, device: dev.name };
      for (const gfn of deviceRmrrGfns(p, dev)) {
        const e = d.state.domains[dom].p2m[gfn];
        if (!isIdentityEntry(d.state, gfn, e)) {
          const actual = e === null || e === undefined ? 'unmapped' : `${e.type} → mfn ${hex(e.mfn)}`;
          out.push({ reason: 'p2m-not-identity', principal, dom, mfn: gfn, holder: { via: 'p2m', dom, gfn }, expected: 'mmio_direct 1:1', actual });
        }
        const t = translateDeviceBfn(d.state, p, dev, gfn);
        if (t === undefined || t.mfn !== gfn) {
          out.push({ reason: 'iommu-not-identity', principal, dom, mfn: gfn, path: t?.hops, expected: '1:1', actual: t === undefined ? 'fault' : `mfn ${hex(t.mfn)}` });
        }
      }
    }
    return out;
  },
  describe(w) {
    const dev = w.principal.device;
    const head = `${dev} belongs to dom${w.dom} but its RMRR gfn ${hex(w.mfn)}`;
    if (w.reason === 'p2m-not-identity') return `${head} is ${w.actual} in dom${w.dom}'s p2m, not the identity map`;
    const got = w.actual === 'fault' ? 'faults' : `goes to ${w.actual}`;
    return `${head} ${got} in the IOMMU context ${dev} uses, not 1:1`;
  },
};
