/**
 * `xengt-privsep`: Tim Deegan's level-2 option (c) (seed 000, 2014-12-11 21:29): "Use privilege
 * separation [...] Shadowing GTTs and auditing GPU commands could move into Xen, with a clean interface
 * to the emulation parts [...] even if a client VM can exploit a bug in the emulator, it can't affect
 * other clients because it can't see their emulator state, and it can't bypass the safety rules
 * because they're enforced by Xen". The GPU's DMA tables belong to that trusted component: it fills a
 * client's table only with that client's own GFNs, through map-for-DMA; the per-client emulator — the
 * principal that may be compromised — asks, and has no way to write a table itself.
 *
 * Expected: levels 0, 1 and 2 hold against a compromised emulator in a de-privileged domain; level 3
 * does not — the emulator still holds IS_PRIV_FOR over its clients (foreign maps, map-for-DMA into its
 * own IOMMU), which is why Tim lists level 3 separately (options a–c there). Kevin Tian (2014-12-12
 * 06:29) doubts the clean interface exists for a real GPU; the design models the proposal, not i915.
 */
import { DEFAULT_CLIENTS, buildWorld } from '../world.ts';
import { CORE_OPS } from '../ops/coreOps.ts';
import { mapForDma } from '../ops/dmaAddress.ts';
import { makeShadowClear, makeShadowSet } from '../ops/dmaTableOps.ts';
import { makeDmaMapAny } from '../ops/compromisedBackend.ts';
import { CORE_INVARIANT_IDS } from './coreInvariants.ts';
import type { Design, Expectation } from '../design.ts';
import { withAdversary } from '../adversary.ts';
import { ADVERSARY_DESIGN_KNOBS, ADVERSARY_VARIANTS, LEVEL_INVARIANT_IDS } from '../adversaryDesigns.ts';
import { CORE_KNOBS } from '../knobs.ts';
import { privsepLevels } from './levelExpectations.ts';

/** Shadowing and audit in a trusted component; the emulator untrusted. */
export const xengtPrivsep: Design = {
  id: 'xengt-privsep',
  title: 'privilege separation: a trusted component (Xen) fills the GPU tables; the per-client emulator only asks',
  description:
    "The emulator asks for a client GFN to be shadowed; the trusted shadowing component maps it for DMA (reference + BFN) into that client's own table and nowhere else. A compromised emulator can call any hypercall, but cannot write a table.",
  source: 'seed 000: Tim Deegan 2014-12-11 21:29 (LEVEL 2 option c; LEVEL 3), 2014-12-18 16:08; Kevin Tian 2014-12-12 06:29',
  knobs: { checkTarget: CORE_KNOBS.checkTarget, ...ADVERSARY_DESIGN_KNOBS },
  variants: ADVERSARY_VARIANTS,
  ops: [...CORE_OPS, makeShadowSet(mapForDma), makeShadowClear(mapForDma), makeDmaMapAny(mapForDma)],
  invariants: [...CORE_INVARIANT_IDS, ...LEVEL_INVARIANT_IDS],
  // Risky situations a sound verdict must have reached (measured: the default 1000 runs reach each hundreds of times).
  sometimes: () => ['mapped-or-shadowed-gfn-ballooned', 'freed-frame-reallocated', 'end-access-while-mapped'],
  expect: (knobs): Record<string, Expectation> => privsepLevels(knobs),
  buildWorld: (scope, knobs) => withAdversary(buildWorld(scope, { backendKind: 'pvh', clients: [...DEFAULT_CLIENTS] }), knobs),
};

