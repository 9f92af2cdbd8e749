/**
 * The grant-table invariants (issue 11 items 2 and 4), in report order: pins, type references and
 * maptrack accounting tied to the mappings that exist, and a dead backend's clients surviving it.
 */
import type { Invariant } from '../types.ts';
import { clientsSurviveBackendCrash } from './clientsSurviveBackendCrash.ts';
import { grantMaptrackAccounting } from './grantMaptrackAccounting.ts';
import { grantPinsMatchMappings } from './grantPinsMatchMappings.ts';
import { writableMappingHoldsTypeRef } from './writableMappingHoldsTypeRef.ts';

/** The grant invariants. */
export const GRANT_INVARIANTS: readonly Invariant[] = [grantPinsMatchMappings, writableMappingHoldsTypeRef, grantMaptrackAccounting, clientsSurviveBackendCrash];

/** Their ids, for a design's invariant list. */
export const GRANT_INVARIANT_IDS: readonly string[] = GRANT_INVARIANTS.map((i) => i.id);
