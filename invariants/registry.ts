/**
 * Every invariant, by id. The CLI and the corpus name invariants by these ids. A new invariant is one
 * file in this folder and one line here.
 */
import { assignRefusedExactlyOnPolicy } from './assignRefusedExactlyOnPolicy.ts';
import { deviceDmaOnlyOwnDomain } from './deviceDmaOnlyOwnDomain.ts';
import { endAccessFailsWhileMapped } from './endAccessFailsWhileMapped.ts';
import { faultAfterRevoke } from './faultAfterRevoke.ts';
import { ggttPartitionRespected } from './ggttPartitionRespected.ts';
import { gpuReachesOnlyOwnVm } from './gpuReachesOnlyOwnVm.ts';
import { mappedPagesNeverRamRw } from './mappedPagesNeverRamRw.ts';
import { noForeignReach } from './noForeignReach.ts';
import { noRmrrMapWithoutDevice } from './noRmrrMapWithoutDevice.ts';
import { noSharedRmrrAcrossVms } from './noSharedRmrrAcrossVms.ts';
import { noStaleReference } from './noStaleReference.ts';
import { noXenFrameReach } from './noXenFrameReach.ts';
import { quotaMatchesOwnership } from './quotaMatchesOwnership.ts';
import { refcountsMatchRefs } from './refcountsMatchRefs.ts';
import { revokeAlwaysSucceeds } from './revokeAlwaysSucceeds.ts';
import { revokeLeavesNoAccess } from './revokeLeavesNoAccess.ts';
import { rmrrIdentityWhileAssigned } from './rmrrIdentityWhileAssigned.ts';
import { rmrrSpaceReserved } from './rmrrSpaceReserved.ts';
import { shadowMatchesGuest } from './shadowMatchesGuest.ts';
import { stealOnlyExclusivePages } from './stealOnlyExclusivePages.ts';
import { trackCountsMatch } from './trackCountsMatch.ts';
import { trackedWhileShadowed } from './trackedWhileShadowed.ts';
import type { Invariant } from './types.ts';

/** All invariants, in report order. */
export const INVARIANTS: readonly Invariant[] = [
  noForeignReach,
  noXenFrameReach,
  noStaleReference,
  refcountsMatchRefs,
  quotaMatchesOwnership,
  endAccessFailsWhileMapped,
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
];

/** Look an invariant up by id. */
export function findInvariant(id: string): Invariant | undefined {
  return INVARIANTS.find((i) => i.id === id);
}
