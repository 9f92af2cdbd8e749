/**
 * Every invariant, by id. The CLI and the corpus name invariants by these ids. A new invariant is one
 * file in this folder and one line here.
 */
import { assignRefusedExactlyOnPolicy } from './rmrr/assignRefusedExactlyOnPolicy.ts';
import { deviceDmaOnlyOwnDomain } from './rmrr/deviceDmaOnlyOwnDomain.ts';
import { endAccessFailsWhileMapped } from './core/endAccessFailsWhileMapped.ts';
import { faultAfterRevoke } from './virtio/faultAfterRevoke.ts';
import { iotlbFlushedBeforeFree } from './core/iotlbFlushedBeforeFree.ts';
import { ggttPartitionRespected } from './gpuShadow/ggttPartitionRespected.ts';
import { gpuReachesOnlyOwnVm } from './gpuShadow/gpuReachesOnlyOwnVm.ts';
import { mappedPagesNeverRamRw } from './virtio/mappedPagesNeverRamRw.ts';
import { noForeignReach } from './core/noForeignReach.ts';
import { noRmrrMapWithoutDevice } from './rmrr/noRmrrMapWithoutDevice.ts';
import { noSharedRmrrAcrossVms } from './rmrr/noSharedRmrrAcrossVms.ts';
import { noStaleReference } from './core/noStaleReference.ts';
import { noXenFrameReach } from './core/noXenFrameReach.ts';
import { quotaMatchesOwnership } from './core/quotaMatchesOwnership.ts';
import { refcountsMatchRefs } from './core/refcountsMatchRefs.ts';
import { refusedOpChangesNothing } from './generic/refusedOpChangesNothing.ts';
import { revokeAlwaysSucceeds } from './virtio/revokeAlwaysSucceeds.ts';
import { revokeLeavesNoAccess } from './virtio/revokeLeavesNoAccess.ts';
import { rmrrIdentityWhileAssigned } from './rmrr/rmrrIdentityWhileAssigned.ts';
import { rmrrSpaceReserved } from './rmrr/rmrrSpaceReserved.ts';
import { shadowMatchesGuest } from './gpuShadow/shadowMatchesGuest.ts';
import { stealOnlyExclusivePages } from './virtio/stealOnlyExclusivePages.ts';
import { trackCountsMatch } from './gpuShadow/trackCountsMatch.ts';
import { trackedWhileShadowed } from './gpuShadow/trackedWhileShadowed.ts';
import { typeOk } from './generic/typeOk.ts';
import { level0XenProtected } from './levels/level0XenProtected.ts';
import { level1ClientsOnly } from './levels/level1ClientsOnly.ts';
import { level2ClientsIsolated } from './levels/level2ClientsIsolated.ts';
import { level3OnlyWhatWasGiven } from './levels/level3OnlyWhatWasGiven.ts';
import { attachOnlyThroughBoundFd } from './ioasid/attachOnlyThroughBoundFd.ts';
import { dmaOnlyOwnMemory } from './ioasid/dmaOnlyOwnMemory.ts';
import { faultDeliveredToOwner } from './ioasid/faultDeliveredToOwner.ts';
import { lockedAccountingExact } from './ioasid/lockedAccountingExact.ts';
import { nestedShadowCoherent } from './ioasid/nestedShadowCoherent.ts';
import { noPartialGroupDma } from './ioasid/noPartialGroupDma.ts';
import { pasidConfinedToFd } from './ioasid/pasidConfinedToFd.ts';
import { unmapRevokesBeforeUnpin } from './ioasid/unmapRevokesBeforeUnpin.ts';
import type { Invariant } from './types.ts';

/** All invariants, in report order. */
export const INVARIANTS: readonly Invariant[] = [
  typeOk,
  refusedOpChangesNothing,
  noForeignReach,
  noXenFrameReach,
  noStaleReference,
  refcountsMatchRefs,
  quotaMatchesOwnership,
  endAccessFailsWhileMapped,
  iotlbFlushedBeforeFree,
  gpuReachesOnlyOwnVm,
  shadowMatchesGuest,
  trackedWhileShadowed,
  trackCountsMatch,
  ggttPartitionRespected,
  noSharedRmrrAcrossVms,
  rmrrIdentityWhileAssigned,
  rmrrSpaceReserved,
  noRmrrMapWithoutDevice,
  deviceDmaOnlyOwnDomain,
  assignRefusedExactlyOnPolicy,
  revokeAlwaysSucceeds,
  revokeLeavesNoAccess,
  mappedPagesNeverRamRw,
  stealOnlyExclusivePages,
  faultAfterRevoke,
  level0XenProtected,
  level1ClientsOnly,
  level2ClientsIsolated,
  level3OnlyWhatWasGiven,
  dmaOnlyOwnMemory,
  attachOnlyThroughBoundFd,
  noPartialGroupDma,
  unmapRevokesBeforeUnpin,
  lockedAccountingExact,
  nestedShadowCoherent,
  pasidConfinedToFd,
  faultDeliveredToOwner,
];

/** Look an invariant up by id. */
export function findInvariant(id: string): Invariant | undefined {
  return INVARIANTS.find((i) => i.id === id);
}
