/**
 * shadowcheck's public entry: `import { … } from 'shadowcheck'`. Everything a design file (a proposal
 * for `shadowcheck audit`) or a user's own test suite needs is exported here, and only here, so the
 * model's file layout can change without breaking anyone's proposals. The one re-export index of
 * the project (STYLE: "no re-export index files except the package's public entry"); docs/api.md
 * walks through it with a worked example.
 *
 * @packageDocumentation
 */

// ─── Designs: the built-in interface variants, and how to derive a proposal from one ───────────────
export { DESIGNS as designs, findDesign } from './model/designs.ts';
export { xenTranslateGpfn } from './model/core/designs/xenTranslateGpfn.ts';
export { xenMapForDma } from './model/core/designs/xenMapForDma.ts';
export { rmrr2014 } from './model/rmrr/designs/rmrr2014.ts';
export { rmrrV2 } from './model/rmrr/designs/rmrrV2.ts';
export { xengtShadowTranslate } from './model/gpuShadow/designs/xengtShadowTranslate.ts';
export { xengtShadowMap } from './model/gpuShadow/designs/xengtShadowMap.ts';
export { kvmgtPageTrack } from './model/gpuShadow/designs/kvmgtPageTrack.ts';
export { virtioGpuPrimitives } from './model/virtio/designs/virtioGpuPrimitives.ts';
export { ioasidFd } from './model/ioasid/designs/ioasidFd.ts';
export { vfioType1Container } from './model/ioasid/designs/vfioType1Container.ts';
export { deriveDesign } from './model/core/deriveDesign.ts';
export type { DerivedDesign, DesignChange } from './model/core/deriveDesign.ts';
export { configOf, expectationFor, knobDefaults, knobReader } from './model/core/design.ts';
export type { Design, Expectation, KnobConfig, KnobDef, KnobDefs, KnobValue } from './model/core/design.ts';

// ─── Operations: defining one, and the results it answers ──────────────────────────────────────────
export { defineOp, fail, OK, okValue } from './model/core/op.ts';
export type { Action, Actor, ArgRecord, ArgSpec, ArgValue, BoolSpec, Errno, GenSpec, IntSpec, KnobValues, OpContext, OpDef, OpResult, RawArg, RawArgs } from './model/core/op.ts';

// ─── Op factories and ops design files reuse ───────────────────────────────────────────────────────
// Core: how the device model turns a client's GFN into a DMA address, and the ops built over it.
export { mapForDma, translateGpfn } from './model/core/ops/dmaAddress.ts';
export type { DmaAddressing } from './model/core/ops/dmaAddress.ts';
export { gpuDma, makeShadowClear, makeShadowSet } from './model/core/ops/dmaTableOps.ts';
export { CORE_OPS } from './model/core/ops/coreOps.ts';
// GPU shadowing: the resolvers that fill shadow entries, and the op sets built over one.
export { mapForDmaResolver, pinGuestPage, translateGpfnResolver } from './model/gpuShadow/ops/shadowResolver.ts';
export type { ShadowResolver } from './model/gpuShadow/ops/shadowResolver.ts';
export { kvmgtOps, xengtOps } from './model/gpuShadow/ops/gpuShadowOps.ts';
// RMRR: the two semantics the seed compares, and the op set built over one.
export { RMRR_2014, RMRR_V2 } from './model/rmrr/ops/semantics.ts';
export type { RmrrSemantics } from './model/rmrr/ops/semantics.ts';
export { rmrrOps } from './model/rmrr/ops/rmrrOps.ts';
// virtio-GPU: the core ops with virtio housekeeping.
export { VIRTIO_CORE_OPS, withHousekeeping } from './model/virtio/ops/coreOps.ts';

// ─── Named rules: each slice's decisions, overridable one at a time (deriveDesign's `rules`) ────────
export { defineRules, knownRules, overrideRules, ruleOf } from './model/core/ruleSet.ts';
export type { Rule, RuleOverrides, RuleSet } from './model/core/ruleSet.ts';
export { CORE_RULES } from './model/core/rules.ts';
export type { GrantMapping } from './model/core/rules.ts';
export { RMRR_RULES } from './model/rmrr/rules.ts';
export { GPU_SHADOW_RULES } from './model/gpuShadow/rules.ts';
export { VIRTIO_RULES } from './model/virtio/rules.ts';
// Helpers rules and custom ops need: grant and maptrack lookups, the DMA lookup's checks, Steal's
// checks, virtio buffer candidates, memslots and page tracking, the RMRR platform.
export { liveGrants, liveMaptrack, releaseMapping } from './model/core/ops/grants.ts';
export { checkLookup } from './model/core/ops/dmaAddress.ts';
export { checkStealArgs, MAX_STEAL_PAGES, returnShared, stealRefusal } from './model/virtio/ops/steal.ts';
export type { StealArgs, StealRefusal } from './model/virtio/ops/steal.ts';
export { candidateBuffers, mappedGfns } from './model/virtio/ops/map.ts';
export { memslot, moveDestinations } from './model/gpuShadow/ops/memslots.ts';
export { slotOf, trackCount } from './model/gpuShadow/pageTrack.ts';
export { isMirrored, mirroredGfns } from './model/gpuShadow/shadow.ts';
export { GVT_NOTIFIER } from './model/gpuShadow/world.ts';
export { findDevice, sharersOf } from './model/rmrr/rmrr.ts';
export { platformFor } from './model/rmrr/platformLayout.ts';
export type { PlatformSpec } from './model/rmrr/platformLayout.ts';
export type { PciDevice, Platform, PlatformPolicy } from './model/rmrr/platform.ts';

// ─── Worlds: the initial states designs run in ─────────────────────────────────────────────────────
export { buildWorld, DEFAULT_CLIENTS } from './model/core/world.ts';
export type { WorldOptions } from './model/core/world.ts';
export { buildGpuShadowWorld } from './model/gpuShadow/world.ts';
export type { GpuShadowWorldOptions } from './model/gpuShadow/world.ts';
export { buildRmrrWorld } from './model/rmrr/world.ts';
export type { RmrrWorldOptions } from './model/rmrr/world.ts';
export { buildVirtioWorld, DEFAULT_VIRTIO_PLATFORM } from './model/virtio/world.ts';
export type { VirtioPlatform } from './model/virtio/world.ts';
export { buildIoasidWorld, MEMLOCK_PAGES } from './model/ioasid/world.ts';
export type { IoasidPlatform } from './model/ioasid/world.ts';
export { DEFAULT_SCOPE } from './model/core/scope.ts';
export type { Scope } from './model/core/scope.ts';

// ─── Model helpers a custom op needs ───────────────────────────────────────────────────────────────
export { emptyBfns, emptyGfns, isAlive, isTargetOf, pickFrom, ramGfns } from './model/core/lookup.ts';
export { allocFrame, domOwner, FREE, freeFrames, getRef, ownerDom, putRef, XEN } from './model/core/frames.ts';
export { busFrame, translateBfn } from './model/core/iommu.ts';
export { cloneState } from './model/core/clone.ts';
export type { DmaTableEntry, DomId, Domain, DomainKind, Frame, FrameOwner, GrantEntry, IommuEntry, MaptrackEntry, P2mEntry, P2mType, State } from './model/core/state.ts';

// ─── Derived relations and invariants ──────────────────────────────────────────────────────────────
export { derive } from './model/derived.ts';
export type { Derived } from './model/derived.ts';
export { reach } from './model/reach.ts';
export { refs, refsTo } from './model/refs.ts';
export type { Hop, HopOf, Principal, ReachEntry, Ref } from './model/core/path.ts';
export { findInvariant, INVARIANTS as invariants } from '../invariants/registry.ts';
export type { Category, FrameFacts, HolderWitness, Invariant, ReachWitness, StateInvariant, TransitionInvariant, Witness } from '../invariants/types.ts';

// ─── Running: campaigns, explicit traces, corpus replay ────────────────────────────────────────────
export { fuzzDesign, invariantsOf } from './fuzz/fuzzDesign.ts';
export type { FuzzDesignOptions, FuzzDesignResult } from './fuzz/fuzzDesign.ts';
export { runCampaign, runCampaignAsync } from './fuzz/campaign.ts';
export type { Budget, CampaignOptions, CampaignResult, Counterexample, InvariantVerdict } from './fuzz/campaign.ts';
export { makeChecker } from './runner/checker.ts';
export type { Checker } from './runner/checker.ts';
export { runGenerated, runResolved } from './runner/run.ts';
export type { RawAction, ReplayProblem, RunOptions } from './runner/run.ts';
export type { Outcome, Step, Violation } from './runner/outcome.ts';
export { replayEntry, replayFile } from './trace/replay.ts';
export type { ReplayOptions, ReplayResult, ReplayStatus } from './trace/replay.ts';
export type { CorpusEntry } from './trace/corpusEntry.ts';
export { loadDesignFile } from './audit/designFile.ts';
export type { LoadedDesign } from './audit/designFile.ts';
