/**
 * What the four level invariants share (Tim Deegan's levels 0–3, seed 000, 2014-12-11 21:29): who a
 * reach fact acts for, and a witness that names the principal's role, whether that principal is
 * compromised in this world, and what the page's owner meant by it — so a broken level reads as the
 * mail's sentence: "a compromised backend reaches a client page the client kept private".
 */
import type { PrincipalRole } from '../../src/model/core/adversary.ts';
import { isClient, isCompromised, principalRole } from '../../src/model/core/adversary.ts';
import { intentOf, intentText } from '../../src/model/core/intent.ts';
import type { ReachEntry } from '../../src/model/core/path.ts';
import type { Frame, State } from '../../src/model/core/state.ts';
import type { Derived } from '../../src/model/derived.ts';
import { pathText } from '../../src/model/words.ts';
import type { ReachWitness } from '../types.ts';
import { reachWitness } from '../witness.ts';

/** A level finding: the reach, and who did it in the adversary's terms. */
export interface LevelWitness<R extends string = string> extends ReachWitness<R> {
  /** The role of the domain the principal acts for: the GPU and its tables act for the backend. */
  role: PrincipalRole;
  /** Whether that principal is compromised in this world. */
  compromised: boolean;
  /** What the frame's owner meant by it ("private", "granted for dom0"…). */
  intent: string;
}

/** The domain whose authority a reach fact is exercised under: the backend for the GPU, else the principal's. */
export function actingDomain(e: ReachEntry): number {
  return e.principal.dom;
}

/** Whether the reach fact acts for the backend (its CPU, or the GPU through the tables it programs). */
export function actsForBackend(state: State, e: ReachEntry): boolean {
  return e.principal.dom === state.gpu.backend && (e.principal.kind === 'cpu' || e.principal.kind === 'gpu');
}

/** The client a reach fact acts for (the GPU running its context, or its own CPU), or undefined. */
export function actsForClient(state: State, e: ReachEntry): number | undefined {
  if (e.principal.kind === 'gpu' && e.principal.client !== undefined) return e.principal.client;
  if (e.principal.kind === 'cpu' && isClient(state, e.principal.dom)) return e.principal.dom;
  return undefined;
}

/**
 * Every reach fact `forbidden` flags, as a level witness. A world built without an adversary record
 * (a design file's own `buildWorld`) is judged as every principal correct, the clients its backend's
 * targets and every page private.
 */
export function levelReach<R extends string>(d: Derived, reason: R, forbidden: (state: State, e: ReachEntry, f: Frame) => boolean): LevelWitness<R>[] {
  const state = d.state;
  const out: LevelWitness<R>[] = [];
  for (const e of d.reach()) {
    const f = state.frames[e.mfn];
    if (!forbidden(state, e, f)) continue;
    const dom = actingDomain(e);
    out.push({ ...reachWitness(reason, e, f), role: principalRole(state, dom), compromised: isCompromised(state, dom), intent: intentText(intentOf(state, e.mfn)) });
  }
  return out;
}

/** "backend (compromised)", "client (correct)". */
function roleText(w: LevelWitness): string {
  const name = w.role === 'nonClient' ? 'non-client' : w.role;
  return `${name} dom${w.principal.dom}, ${w.compromised ? 'compromised' : 'correct'}`;
}

/** The witness in words: the path, why it breaks the level, who did it and what the page was meant for. */
export function levelText(w: LevelWitness, why: string): string {
  return `${pathText(w.principal, w.path, w.mfn, w.frame)}: ${why} [${roleText(w)}; page intent: ${w.intent}]`;
}
