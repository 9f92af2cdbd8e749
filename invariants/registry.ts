/**
 * Every invariant, by id. The CLI and the corpus name invariants by these ids. A new invariant is one
 * file in this folder and one line here.
 */
import { assignRefusedExactlyOnPolicy } from './assignRefusedExactlyOnPolicy.ts';
import { deviceDmaOnlyOwnDomain } from './deviceDmaOnlyOwnDomain.ts';
import { endAccessFailsWhileMapped } from './endAccessFailsWhileMapped.ts';
import { noForeignReach } from './noForeignReach.ts';
import { noRmrrMapWithoutDevice } from './noRmrrMapWithoutDevice.ts';
import { noSharedRmrrAcrossVms } from './noSharedRmrrAcrossVms.ts';
import { noStaleReference } from './noStaleReference.ts';
import { noXenFrameReach } from './noXenFrameReach.ts';
import { quotaMatchesOwnership } from './quotaMatchesOwnership.ts';
import { refcountsMatchRefs } from './refcountsMatchRefs.ts';
import { rmrrIdentityWhileAssigned } from './rmrrIdentityWhileAssigned.ts';
import { rmrrSpaceReserved } from './rmrrSpaceReserved.ts';
import type { Invariant } from './types.ts';

/** All invariants, in report order. */
export const INVARIANTS: readonly Invariant[] = [
  noForeignReach,
  noXenFrameReach,
  noStaleReference,
  refcountsMatchRefs,
  quotaMatchesOwnership,
  endAccessFailsWhileMapped,
  noSharedRmrrAcrossVms,
  rmrrIdentityWhileAssigned,
  rmrrSpaceReserved,
  noRmrrMapWithoutDevice,
  deviceDmaOnlyOwnDomain,
  assignRefusedExactlyOnPolicy,
];

/** Look an invariant up by id. */
export function findInvariant(id: string): Invariant | undefined {
  return INVARIANTS.find((i) => i.id === id);
}
