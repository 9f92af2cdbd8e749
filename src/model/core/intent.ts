/**
 * Guest intent: what a page's owner meant by it (issue 10 item 2). Level 3 of Tim Deegan's mail
 * (seed 000, 2014-12-11 21:29) — "XenGT should not be able to access parts of its client VMs that
 * they have not given it permission to" — is a statement about intent, not about protocol state: a
 * grant that could not be ended is still live, yet the guest may already have put its crypto keys in
 * the page. So intent is stored apart from grants and mappings, per machine frame and stamped with the
 * frame's generation: a reallocated frame starts private, and a ballooned-out frame keeps what its
 * owner last meant (its contents did not change).
 */
import type { DomId, State } from './state.ts';

/** Why a guest gave a page away. */
export type IntentPurpose = 'granted' | 'dma-buffer' | 'gpu-page-table';

/** A page its owner shared with the domains `to` (last for `purpose`), valid while the frame has generation `gen`. */
export interface PageIntent {
  readonly gen: number;
  readonly purpose: IntentPurpose;
  readonly to: readonly DomId[];
}

/** What a frame's owner meant by it now: a live intent, or `private` (the default: never given, or taken back). */
export function intentOf(state: State, mfn: number): PageIntent | 'private' {
  const i = state.adversary?.intents[mfn];
  return i === null || i === undefined || i.gen !== state.frames[mfn].gen ? 'private' : i;
}

/** Whether the owner of frame `mfn` gave it to domain `to` (for any purpose). */
export function givenTo(state: State, mfn: number, to: DomId): boolean {
  const i = intentOf(state, mfn);
  return i !== 'private' && i.to.includes(to);
}

/** Record that the owner shares frame `mfn` with `to` for `purpose`, besides whom it shares it with already (frozen: copies share it). */
export function setIntent(state: State, mfn: number, purpose: IntentPurpose, to: DomId): void {
  const a = state.adversary;
  if (a === undefined) return;
  const now = intentOf(state, mfn);
  const others = now === 'private' ? [] : now.to.filter((d) => d !== to);
  a.intents[mfn] = Object.freeze({ gen: state.frames[mfn].gen, purpose, to: Object.freeze([...others, to]) });
}

/** Record that the owner now keeps frame `mfn` private (taken back, or reused for private data). */
export function clearIntent(state: State, mfn: number): void {
  const a = state.adversary;
  if (a !== undefined) a.intents[mfn] = null;
}

/** The intent in words, for witnesses: "private" or "dma-buffer for dom0". */
export function intentText(i: PageIntent | 'private'): string {
  return i === 'private' ? 'private' : `${i.purpose} for ${i.to.map((d) => `dom${d}`).join(', ')}`;
}
