/**
 * The operations every design of the core memory model shares: ballooning and Xen's allocator, grants,
 * foreign maps, target lists, domain life cycle and the GPU's DMA. Designs add the hypercall they
 * propose (shadowSet/shadowClear through their DMA addressing) and may replace any of these.
 */
import { createDomain, destroyDomain } from './domains.ts';
import { mapForeign, unmapForeign } from './foreign.ts';
import { endAccess, grantAccess, mapGrant, unmapGrant } from './grants.ts';
import { gpuDma } from './dmaTableOps.ts';
import { decreaseReservation, populatePhysmap, xenAllocPage, xenFreePage } from './memory.ts';
import { addTarget, removeTarget, setTarget } from './targets.ts';
import type { OpDef } from '../op.ts';

/** Core operations, in the order `shadowcheck list` shows them. */
export const CORE_OPS: readonly OpDef[] = [
  populatePhysmap,
  decreaseReservation,
  xenAllocPage,
  xenFreePage,
  grantAccess,
  mapGrant,
  unmapGrant,
  endAccess,
  mapForeign,
  unmapForeign,
  setTarget,
  addTarget,
  removeTarget,
  createDomain,
  destroyDomain,
  gpuDma,
];
