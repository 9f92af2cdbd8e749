/**
 * no-shared-rmrr-across-vms — no RMRR is mapped into two different domains, and no two devices that
 * share an RMRR belong to different domains (the hardware domain counts: a guest that programs its
 * device to clobber the shared range malforms whichever domain holds the other device).
 * Seed 003 Issue-3 and §3.8 ("if two devices are assigned to different VMs [...] a malicious VM may
 * program its assigned device to clobber the shared region to malform another VM's device").
 * Check it alone: `npx shadowcheck fuzz --invariant no-shared-rmrr-across-vms`
 */
import { hex } from '../../src/model/core/words.ts';
import { rmrrOfMfn } from '../../src/model/rmrr/rmrr.ts';
import type { StateInvariant, Witness } from '../types.ts';

/** An RMRR mapped into two domains, or shared by devices that belong to different domains (`mfn`: the RMRR's base). */
export type SharedRmrrWitness = Witness & { mfn: number; expected: 'one domain' } & (
  | { reason: 'rmrr-mapped-in-two-domains'; actual: { rmrr: number; doms: number[] } }
  | { reason: 'sharing-devices-in-different-domains'; actual: { rmrr: number; devices: [string, string]; owners: [number, number] } }
);

export const noSharedRmrrAcrossVms: StateInvariant<SharedRmrrWitness> = {
  kind: 'state',
  id: 'no-shared-rmrr-across-vms',
  title: 'no RMRR is mapped into two domains, and devices sharing an RMRR stay in one domain',
  category: 'security',
  rationale:
    'A shared RMRR mapped into two domains is memory both can DMA into: one guest can corrupt what the other\'s device depends on.',
  source: 'seed 003: Kevin Tian §3.8 and Issue-3; George Dunlap ("deny by default, first in the toolstack and as a fall-back in the hypervisor")',
  check(d) {
    const p = d.state.platform;
    if (p === undefined) return [];
    const mappedIn: number[][] = p.rmrrs.map(() => []);
    const note = (r: number, dom: number) => {
      if (r >= 0 && !mappedIn[r].includes(dom)) mappedIn[r].push(dom);
    };
    for (const dom of d.state.domains) {
      if (dom.state !== 'alive' && dom.state !== 'dying') continue;
      for (const e of dom.p2m) if (e !== null && d.state.frames[e.mfn].owner.kind === 'reserved') note(rmrrOfMfn(p, e.mfn), dom.id);
      for (const x of p.domains[dom.id].iommuOnly) note(rmrrOfMfn(p, x.mfn), dom.id);
    }
    const out: SharedRmrrWitness[] = [];
    mappedIn.forEach((doms, r) => {
      if (doms.length > 1) out.push({ reason: 'rmrr-mapped-in-two-domains', mfn: p.rmrrs[r].base, expected: 'one domain', actual: { rmrr: r, doms } });
    });
    p.devices.forEach((a, i) => {
      for (const b of p.devices.slice(i + 1)) {
        const r = a.rmrrs.find((x) => b.rmrrs.includes(x));
        if (r === undefined || a.owner === null || b.owner === null || a.owner === b.owner) continue;
        out.push({
          reason: 'sharing-devices-in-different-domains',
          mfn: p.rmrrs[r].base,
          expected: 'one domain',
          actual: { rmrr: r, devices: [a.name, b.name], owners: [a.owner, b.owner] },
        });
      }
    });
    return out;
  },
  describe(w) {
    if (w.reason === 'rmrr-mapped-in-two-domains') {
      return `RMRR r${w.actual.rmrr} (mfn ${hex(w.mfn)}) is mapped into ${w.actual.doms.map((x) => `dom${x}`).join(' and ')}`;
    }
    const a = w.actual;
    return `${a.devices[0]} (dom${a.owners[0]}) and ${a.devices[1]} (dom${a.owners[1]}) share RMRR r${a.rmrr} (mfn ${hex(w.mfn)}) but belong to different domains`;
  },
};
