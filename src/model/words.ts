/**
 * Paths in words, over every slice's hop words (slices.ts). The words for principals, owners and
 * frames are the core's (core/words.ts).
 */
import type { Hop, Principal } from './core/path.ts';
import type { Frame } from './core/state.ts';
import { frameText, hex, principalText } from './core/words.ts';
import { HOP_WORDS } from './slices.ts';

/** One hop in words. */
export function hopText(h: Hop): string {
  // HOP_WORDS[h.via] is the function for exactly h's kind; TypeScript cannot correlate the two.
  return (HOP_WORDS[h.via] as (hop: Hop) => string)(h);
}

/** A whole reach path: principal → hops → frame. */
export function pathText(principal: Principal, path: readonly Hop[], mfn: number, frame?: Pick<Frame, 'owner' | 'gen'>): string {
  const end = frame ? frameText(mfn, frame) : `mfn ${hex(mfn)}`;
  return [principalText(principal), ...path.map(hopText), end].join(' → ');
}
