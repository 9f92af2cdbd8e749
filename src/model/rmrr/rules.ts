/**
 * The device-assignment slice's named rules (core/ruleSet.ts): decisions its handlers make, so a
 * proposal changes one and every op that uses it follows (deassignDevice and domain destruction both
 * release devices through `deassignTo`).
 */
import { defineRules } from '../core/ruleSet.ts';
import type { State } from '../core/state.ts';
import type { PciDevice, Platform } from './platform.ts';

/** The RMRR slice's rules, at the semantics of the design's platform settings. */
export const RMRR_RULES = defineRules(
  'rmrr',
  {
    /** Where a device taken from its guest goes: the platform's setting (Xen 4.5 and rmrr-2014: the hardware domain). */
    deassignTo: (_state: State, p: Platform, _dev: PciDevice): Platform['deassignTo'] => p.deassignTo,
  },
  {
    deassignTo: "where a deassigned device goes: back to the hardware domain's context ('hwdom') or to quarantine",
  },
);
