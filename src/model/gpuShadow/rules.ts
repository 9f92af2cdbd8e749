/**
 * The GPU-shadowing slice's named rules (core/ruleSet.ts): decisions its handlers make, so a proposal
 * changes one and every op that uses it follows.
 */
import { defineRules } from '../core/ruleSet.ts';
import type { DomId, State } from '../core/state.ts';
import { GVT_NOTIFIER } from './world.ts';

/** The GPU-shadowing slice's rules, at the semantics of KVM's page-track API (seed 002). */
export const GPU_SHADOW_RULES = defineRules(
  'gpuShadow',
  {
    /** After an emulated CPU write to a tracked page, track_write runs for every registered notifier: the device model's when it registered. */
    notifiesCpuWrite: (state: State, dom: DomId, _gfn: number): boolean => state.pageTrack!.vms[dom].notifiers.includes(GVT_NOTIFIER),
  },
  {
    notifiesCpuWrite: "whether the device model's track_write hears of an emulated CPU write to a write-tracked page",
  },
);
