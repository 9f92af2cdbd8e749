/**
 * The virtio-GPU slice's named rules (core/ruleSet.ts): decisions its handlers make, so a proposal
 * changes one and every op that uses it follows.
 */
import { defineRules } from '../core/ruleSet.ts';
import type { DomId, State } from '../core/state.ts';
import type { StealRefusal } from './ops/steal.ts';
import { stealRefusal } from './ops/steal.ts';

/** The virtio-GPU slice's rules, at the semantics of seed 004's proposal. */
export const VIRTIO_RULES = defineRules(
  'virtio',
  {
    /** Why Steal may not take `dom`'s page at `gfn` (the thread's six reasons, in order), or undefined when it may. */
    stealRefusal: (state: State, dom: DomId, gfn: number, narrow = false): StealRefusal | undefined => stealRefusal(state, dom, gfn, narrow),
  },
  {
    stealRefusal: "what Steal checks of each page before taking it (in a hypercall, provided by another domain, MMIO, foreign mapped, granted, otherwise accessible)",
  },
);
