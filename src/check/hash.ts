/**
 * Hash compaction of state keys (as Spin's -DHC does): the visited set stores a 52-bit hash of each
 * canonical key instead of the key, so a million states cost a few tens of MB rather than the keys'
 * gigabytes. Two different keys share a hash with probability about n²/2⁵³ over n states (≈1e-4 at
 * a million): a collision could only make the checker skip a state, never report a false violation,
 * and the report says the visited set is hashed.
 */

/** A 52-bit hash of a string: two 32-bit multiplicative hashes with different seeds, combined. */
export function hash52(s: string): number {
  let h1 = 0x811c9dc5 | 0;
  let h2 = 0x27d4eb2f | 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return finish52(h1, h2);
}

/** A 52-bit hash of a sequence of 32-bit integers (a state's numeric encoding), mixed as `hash52` mixes characters. */
export function hashNumbers(xs: readonly number[]): number {
  let h1 = 0x811c9dc5 | 0;
  let h2 = 0x27d4eb2f | 0;
  for (let i = 0; i < xs.length; i++) {
    const c = xs[i] | 0;
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h1 ^= h1 >>> 13;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return finish52(h1, h2);
}

/** Both hashes' last avalanche, and 20 bits of h2 above the 32 of h1: an exact integer below 2^52, so a Set<number> holds it. */
function finish52(a: number, b: number): number {
  let h1 = a ^ (a >>> 16);
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 13;
  let h2 = Math.imul(b ^ (b >>> 16), 0xc2b2ae35);
  h2 ^= h2 >>> 16;
  return (h2 >>> 12) * 0x100000000 + (h1 >>> 0);
}
