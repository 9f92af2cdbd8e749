/**
 * level-2-clients-isolated — the GPU running a client's context, and the client's CPU, reach no frame
 * of another client — nor a free frame, which the allocator may hand to another client next — save through a live grant that client made to it (or, for the client's CPU, a
 * target privilege the toolstack gave it over that client).
 * Tim Deegan's level 2 (seed 000, 2014-12-11 21:29): "Isolate XenGT's clients from each other", with
 * options (a) trust XenGT, (b) move XenGT into Xen, (c) privilege separation: shadowing GTTs and
 * auditing commands by a component that does not trust the per-client emulator. Map-for-DMA alone
 * does not give it: Xen checks each mapping against the target list, and every client is a target.
 * Check it alone: `npx shadowcheck fuzz --invariant level-2-clients-isolated --adversary backend=compromised`
 */
import { isClient } from '../../src/model/core/adversary.ts';
import type { ReachEntry } from '../../src/model/core/path.ts';
import type { Frame, State } from '../../src/model/core/state.ts';
import type { StateInvariant } from '../types.ts';
import type { LevelWitness } from './levelWitness.ts';
import { actsForClient, levelReach, levelText } from './levelWitness.ts';

/** Work done for one client reaching another client's frame. */
export type Level2Witness = LevelWitness<'level-2-other-client-reached'>;

/** Whether the path goes through a live grant from `owner` to the client's own domain. */
function grantedToClient(state: State, e: ReachEntry, owner: number, client: number): boolean {
  return e.path.some((h) => h.via === 'grant' && h.granter === owner && state.domains[owner].grants[h.ref]?.grantee === client);
}

function crossesClients(state: State, e: ReachEntry, f: Frame): boolean {
  const client = actsForClient(state, e);
  if (client === undefined) return false;
  // A free frame is the next allocation's, another client's as likely as anyone's.
  if (f.owner.kind === 'free') return true;
  if (f.owner.kind !== 'dom') return false;
  const owner = f.owner.dom;
  if (owner === client || !isClient(state, owner) || grantedToClient(state, e, owner, client)) return false;
  // A client's CPU that the toolstack made another client's device model (a stub domain: set_target)
  // holds that privilege by configuration; the GPU's work for a client never does.
  return !(e.principal.kind === 'cpu' && state.domains[client].targets.includes(owner));
}

export const level2ClientsIsolated: StateInvariant<Level2Witness> = {
  kind: 'state',
  id: 'level-2-clients-isolated',
  title: "level 2: work done for one client (its GPU context, its CPU) reaches no other client's memory",
  category: 'security',
  level: 2,
  rationale: 'Clients sharing a GPU are still different tenants; a client that exploits the emulator must not reach its neighbours.',
  source: 'seed 000: Tim Deegan 2014-12-11 21:29 (LEVEL 2, options a–c); Kevin Tian 2014-12-12 06:29',
  check: (d) => levelReach(d, 'level-2-other-client-reached', crossesClients),
  describe(w) {
    const o = w.frame.owner;
    const client = w.principal.client ?? w.principal.dom;
    if (o.kind !== 'dom') return levelText(w, `work for client dom${client} reaches a free frame, the next client's as likely as anyone's`);
    return levelText(w, `work for client dom${client} reaches client dom${o.dom}'s frame`);
  },
};
