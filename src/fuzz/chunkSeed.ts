/**
 * Chunk seeds. A search runs in chunks of `CHUNK_RUNS` runs (campaign.ts), each one fast-check call
 * with its own seed, so chunks can run on different worker threads (src/schedule/) and a time budget
 * can stop between them.
 *
 * The seed of chunk c of a campaign seeded s used to be s + c, so `--seed 2` re-ran all but one of
 * `--seed 1`'s chunks: a CI matrix split by seed repeated almost all of its work. Chunk seeds are now
 * a mix of (s, c): chunk 0 keeps s itself (the first 50 runs are fast-check's own run of seed s, as
 * before), and chunk c ≥ 1 is a 32-bit avalanche hash of s and c. For a fixed c the map s → seed is a
 * bijection, so two campaign seeds never share chunk c; across different chunk indices a collision
 * is a 32-bit hash collision (about 1 in 4 billion per pair of chunks).
 */

/** murmur3's 32-bit finaliser: a bijection on 32-bit integers in which every input bit flips about half the output bits. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** 2^32 / φ: consecutive chunk indices land far apart before the final mix. */
const GOLDEN = 0x9e3779b9;

/** The fast-check seed of chunk `chunk` (0-based) of a search whose campaign seed is `seed` (0 to 2^32 − 1). */
export function chunkSeed(seed: number, chunk: number): number {
  if (chunk === 0) return seed >>> 0;
  // fmix32 is a bijection and adding a constant is one, so for a fixed chunk this is a bijection of seed.
  return fmix32((fmix32(seed >>> 0) + Math.imul(chunk, GOLDEN)) >>> 0);
}
