/**
 * The scope: how big a world the fuzzer explores. Small by default — most interface bugs show up with
 * a handful of domains and a few dozen frames — and a parameter everywhere, so a user can widen it.
 */
export interface Scope {
  /** Domains alive at the start (dom0 included). */
  domains: number;
  /** Extra domain ids that `createDomain` may bring to life. */
  spareDomains: number;
  /** Machine frames (MFNs). */
  frames: number;
  /** Frames Xen owns from boot (its image and heap metadata). */
  xenFrames: number;
  /** GFNs per domain. */
  gfns: number;
  /** BFNs per non-identity IOMMU context. */
  bfns: number;
  /** Grant references per domain. */
  grantRefs: number;
  /** Entries per client in the device model's DMA table. */
  dmaSlots: number;
  /** RAM frames each domain has populated at GFNs 0.. when the world is built. */
  initialPages: number;
  /** Each domain's `max_pages`. */
  maxPages: number;
  /** Longest action sequence a fuzz run generates. */
  maxActions: number;
}

/** The default scope: 4 domains, 48 frames, 16 GFNs per domain. */
export const DEFAULT_SCOPE: Readonly<Scope> = Object.freeze({
  domains: 4,
  spareDomains: 1,
  frames: 48,
  xenFrames: 2,
  gfns: 16,
  bfns: 16,
  grantRefs: 4,
  dmaSlots: 6,
  initialPages: 4,
  maxPages: 8,
  maxActions: 50,
});

/** Total domain ids the model has room for. */
export function domainSlots(scope: Scope): number {
  return scope.domains + scope.spareDomains;
}
