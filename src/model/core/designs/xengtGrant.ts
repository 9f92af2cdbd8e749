/**
 * `xengt-grant`: the grant-based design — Tim Deegan's level-3 option (b) (seed 000, 2014-12-11
 * 21:29): "Make the GPU driver in the client use grant tables for all RAM that it gives to the GPU.
 * Probably not practical!" (Kevin Tian, 2014-12-12 06:29: "that can be a good research topic"). The
 * backend runs in a de-privileged driver domain with no target privilege over its clients; each client
 * grants each buffer to it, and the device model maps those grants for device access and programs the
 * BFNs — "what grant tables give a NIC driver domain".
 *
 * Expected: levels 0, 1 and 3 hold with every principal correct — and level 3 still holds against a
 * compromised backend, which can reach only what was granted; level 2 does not against a compromised
 * backend ("if a NIC device driver domain is compromised, the attacker controls the network traffic
 * for all its frontends"). A client that reuses a page for private data while its grant is still mapped
 * breaks level 3 itself. Placed in the control domain, the backend needs no grant at all (XSM_TARGET).
 */
import { DEFAULT_CLIENTS, buildWorld } from '../world.ts';
import { createDomain, destroyDomain } from '../ops/domains.ts';
import { mapForeign, unmapForeign } from '../ops/foreign.ts';
import { mapGrant } from '../ops/grants.ts';
import { gpuDma } from '../ops/dmaTableOps.ts';
import { decreaseReservation, populatePhysmap, xenAllocPage, xenFreePage } from '../ops/memory.ts';
import { endAccessWithIntent, grantAccessWithIntent } from '../ops/intentOps.ts';
import { grantShadowClear, grantShadowSet, unmapGrantClearingSlots } from '../ops/grantDmaOps.ts';
import { forgeDmaEntry, makeDmaMapAny } from '../ops/compromisedBackend.ts';
import { mapForDma } from '../ops/dmaAddress.ts';
import { reuseStillGiven } from '../ops/compromisedGuest.ts';
import { CORE_INVARIANT_IDS } from './coreInvariants.ts';
import type { Design, Expectation } from '../design.ts';
import { withAdversary } from '../adversary.ts';
import { ADVERSARY_DESIGN_KNOBS, ADVERSARY_VARIANTS, LEVEL_INVARIANT_IDS } from '../adversaryDesigns.ts';
import { grantLevels } from './levelExpectations.ts';

/** The client grants each buffer; the backend maps grants, nothing else. */
export const xengtGrant: Design = {
  id: 'xengt-grant',
  title: 'grant-based XenGT: each client grants every GPU buffer; a driver-domain backend maps only grants',
  description:
    "Clients grant each I/O buffer to the backend; the device model maps those grants for device access and programs the BFNs. The backend has no target privilege, so Xen refuses its foreign maps and map-for-DMA requests — unless it is the control domain.",
  source: 'seed 000: Tim Deegan 2014-12-11 21:29 (LEVEL 3 option b; LEVEL 2 option a, the NIC driver domain); Kevin Tian 2014-12-12 06:29',
  knobs: { ...ADVERSARY_DESIGN_KNOBS },
  variants: [...ADVERSARY_VARIANTS, { client: 'compromised' }],
  ops: [
    populatePhysmap,
    decreaseReservation,
    xenAllocPage,
    xenFreePage,
    grantAccessWithIntent,
    mapGrant,
    unmapGrantClearingSlots,
    endAccessWithIntent,
    mapForeign,
    unmapForeign,
    createDomain,
    destroyDomain,
    gpuDma,
    grantShadowSet,
    grantShadowClear,
    forgeDmaEntry,
    makeDmaMapAny(mapForDma),
    reuseStillGiven,
  ],
  invariants: [...CORE_INVARIANT_IDS, ...LEVEL_INVARIANT_IDS],
  // Risky situations a sound verdict must have reached (measured: the default 1000 runs reach each at least 15 times).
  sometimes: () => ['mapped-or-shadowed-gfn-ballooned', 'freed-frame-reallocated', 'end-access-while-mapped'],
  expect: (knobs): Record<string, Expectation> => grantLevels(knobs),
  buildWorld(scope, knobs) {
    const state = withAdversary(buildWorld(scope, { backendKind: 'pvh', clients: [...DEFAULT_CLIENTS] }), knobs);
    // A driver domain, not a device model: its clients are recorded, but it holds no IS_PRIV_FOR over them.
    state.domains[state.gpu.backend].targets = [];
    return state;
  },
};
