/**
 * level-1-clients-only — what the backend, its GPU and its clients reach stays inside the backend and
 * its clients (frames owned by one of them), save what another domain granted through a live grant.
 * Tim Deegan's level 1 (seed 000, 2014-12-11 21:29): "a malicious client that compromises XenGT only
 * gains access to other VMs that share a GPU with it"; "if XenGT must map all the memory it wants to
 * let the GPU DMA to, and Xen's policy is to deny mappings for non-client-vm memory, then VMs that
 * aren't using XenGT are protected". Xen's frames are level 0's; free frames count here (the next
 * tenant's memory).
 * Check it alone: `npx shadowcheck fuzz --invariant level-1-clients-only --adversary backend=compromised`
 */
import { isClient } from '../../src/model/core/adversary.ts';
import type { ReachEntry } from '../../src/model/core/path.ts';
import type { Frame, State } from '../../src/model/core/state.ts';
import { mayReach } from '../core/noForeignReach.ts';
import type { StateInvariant } from '../types.ts';
import type { LevelWitness } from './levelWitness.ts';
import { actsForBackend, actsForClient, levelReach, levelText } from './levelWitness.ts';

/** A principal of XenGT's world reaching a frame outside it. */
export type Level1Witness = LevelWitness<'level-1-non-client-reached'>;

/** Whether the fact leaves XenGT's world: acts for the backend or a client, and the frame is nobody's there. */
function leavesClients(state: State, e: ReachEntry, f: Frame): boolean {
  if (!actsForBackend(state, e) && actsForClient(state, e) === undefined) return false;
  if (f.owner.kind === 'xen') return false;
  if (f.owner.kind === 'dom' && (f.owner.dom === state.gpu.backend || isClient(state, f.owner.dom))) return false;
  // A grant from a non-client, an RMRR or an MMIO BAR the principal may use: no-foreign-reach's exemptions.
  return f.owner.kind === 'free' || !mayReach(state, e);
}

export const level1ClientsOnly: StateInvariant<Level1Witness> = {
  kind: 'state',
  id: 'level-1-clients-only',
  title: "level 1: the backend, its GPU and its clients reach only the backend's and the clients' memory (and live grants)",
  category: 'security',
  level: 1,
  rationale: 'Deploying XenGT for some VMs must not raise the risk to the other tenants, even if XenGT is compromised.',
  source: 'seed 000: Tim Deegan 2014-12-11 21:29 (LEVEL 1) and 16:46 (Xen denies mappings of non-client memory)',
  check: (d) => levelReach(d, 'level-1-non-client-reached', leavesClients),
  describe(w) {
    const o = w.frame.owner;
    const why = o.kind === 'free' ? 'the frame is free: the next tenant gets it' : o.kind === 'dom' ? `dom${o.dom} is not a client and granted nothing` : 'the frame is outside the clients';
    return levelText(w, why);
  },
};
