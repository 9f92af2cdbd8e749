/**
 * Adversary roles and the backend's privilege — Tim Deegan's premise (seed 000, 2014-12-11 21:29):
 * "Xen does not _trust_ XenGT [...] the default is to assume that XenGT could be compromised or
 * buggy". Each principal that can misbehave — the backend (device model), a client guest, a guest
 * that is nobody's client — is `correct` (follows its protocol; races still happen) or `compromised`
 * (issues any hypercall with any arguments it can name and writes any value into every table it
 * controls). The roles are knobs, so a campaign, a trace and a corpus entry say which principal was
 * compromised; the world records them in `state.adversary`, from which the compromised ops (the
 * `compromised*` files) decide whether they exist, and the level invariants (invariants/levels/) name
 * the principal in their witnesses.
 *
 * The backend's privilege is a world choice too (issue 17 item 1): in Xen's default XSM policy
 * (xen/include/xsm/dummy.h, xsm_default_action, XSM_TARGET: `src == target`, else `src->target ==
 * target`, else `src->is_privileged`), the control domain may map any domain, so a dom0 backend is
 * limited by nothing; a de-privileged device-model / driver domain is limited to its target. The
 * model's target *list* is the XenGT thread's proposal (Xen has one `d->target`, set once).
 */
import type { KnobConfig, KnobDefs } from './design.ts';
import { knobReader } from './design.ts';
import type { KnobValues } from './op.ts';
import type { PageIntent } from './intent.ts';
import type { DomId, State } from './state.ts';

/** Whether a principal follows its protocol. */
export type Role = 'correct' | 'compromised';

/** The principals that can misbehave, as the level table names them. */
export type PrincipalRole = 'backend' | 'client' | 'nonClient';

/** Where the backend runs: the control domain (Xen's XSM default lets it map anything) or a de-privileged domain. */
export type BackendPrivilege = 'device-model' | 'control-domain';

/** The adversary knobs every XenGT design declares (values first: the default). */
export const ADVERSARY_KNOBS = {
  backend: {
    description: 'the backend / device model: correct (follows its protocol) or compromised (any hypercall, any value in its DMA table, shadow GTTs, GGTT slices and command rings)',
    values: ['correct', 'compromised'],
    default: 'correct',
  },
  client: {
    description: "a client guest: correct, or compromised (any hypercall; reuses pages for private data while the protocol says they are still given)",
    values: ['correct', 'compromised'],
    default: 'correct',
  },
  nonClient: {
    description: 'the guest that is nobody\'s client: correct, or compromised (any hypercall it can name)',
    values: ['correct', 'compromised'],
    default: 'correct',
  },
  backendPrivilege: {
    description:
      "where the backend runs: device-model (a de-privileged domain: Xen maps only its targets — the proposal the model follows) or control-domain (dom0: XSM_TARGET lets is_control_domain map any domain)",
    values: ['device-model', 'control-domain'],
    default: 'device-model',
  },
} as const satisfies KnobDefs;

/**
 * The disputed fact (issue 10 item 6), a knob of the designs whose backend is a PV dom0: does its 1:1
 * IOMMU cover Xen's own frames? Tim Deegan (2014-12-11 21:29) gets level 0 only "as soon as we can run
 * XenGT in a driver domain, and with IOMMU tables that restrict the GPU from writing to Xen's
 * datastructures"; Kevin Tian (2014-12-12 06:29): "dom0 can't DMA into Xen's data structure (this is
 * ensured even for default 1:1 identity mapping)" — Xen's remove_xen_ranges leaves Xen's ranges out.
 */
export const IDENTITY_KNOBS = {
  dom0IdentityCoversXen: {
    description:
      "a PV dom0's 1:1 IOMMU covers Xen's own frames: true is Tim Deegan's reading (2014-12-11 21:29), false Kevin Tian's (2014-12-12 06:29: ensured even for the 1:1 identity) and Xen's remove_xen_ranges",
    values: [true, false],
    default: true,
  },
} as const satisfies KnobDefs;

/** Whether a PV dom0's identity IOMMU covers Xen's frames, under a run's knob values. */
export const identityConfig: (knobs: KnobValues) => KnobConfig<typeof IDENTITY_KNOBS> = knobReader(IDENTITY_KNOBS);

/** The adversary configuration: `{ backend: Role; client: Role; nonClient: Role; backendPrivilege: … }`. */
export type AdversaryConfig = KnobConfig<typeof ADVERSARY_KNOBS>;

/** The adversary configuration under a run's knob values. */
export const adversaryConfig: (knobs: KnobValues) => AdversaryConfig = knobReader(ADVERSARY_KNOBS);

/**
 * What the world records about trust: each principal's role, where the backend runs, who the clients
 * are (the VMs sharing the GPU), and what each guest meant for its pages (intent.ts).
 */
export interface AdversaryState {
  readonly roles: { readonly backend: Role; readonly client: Role; readonly nonClient: Role };
  readonly privilege: BackendPrivilege;
  /** The XenGT clients as the toolstack configured them when the world was built. */
  readonly clients: readonly DomId[];
  /** Whether a PV dom0's identity IOMMU covers Xen's frames (IDENTITY_KNOBS). */
  readonly identityCoversXen: boolean;
  /** Guest intent per machine frame (null: private — what a guest never gave is private). */
  intents: (PageIntent | null)[];
}

/** Attach the adversary record to a freshly built world (the XenGT designs' `buildWorld`). */
export function withAdversary(state: State, knobs: KnobValues): State {
  const c = adversaryConfig(knobs);
  state.adversary = {
    roles: { backend: c.backend, client: c.client, nonClient: c.nonClient },
    privilege: c.backendPrivilege,
    clients: [...state.domains[state.gpu.backend].targets],
    identityCoversXen: identityConfig(knobs).dom0IdentityCoversXen,
    intents: new Array(state.frames.length).fill(null),
  };
  return state;
}

/** Whether `dom` is one of the backend's clients: configured at build, or made a target since by the toolstack. */
export function isClient(state: State, dom: DomId): boolean {
  if (dom === state.gpu.backend) return false;
  return (state.adversary?.clients.includes(dom) ?? false) || state.domains[state.gpu.backend].targets.includes(dom);
}

/** The role a domain plays: the backend, a client, or a guest that is nobody's client. */
export function principalRole(state: State, dom: DomId): PrincipalRole {
  if (dom === state.gpu.backend) return 'backend';
  return isClient(state, dom) ? 'client' : 'nonClient';
}

/** Whether the principal acting as `dom` is compromised in this world. */
export function isCompromised(state: State, dom: DomId): boolean {
  const a = state.adversary;
  return a !== undefined && a.roles[principalRole(state, dom)] === 'compromised';
}

/** Whether the backend is compromised in this world (the compromised device-model ops exist only then). */
export function backendCompromised(state: State): boolean {
  return state.adversary?.roles.backend === 'compromised';
}

/**
 * Xen's privilege check for mapping or looking up another domain `target`'s memory on `caller`'s
 * behalf (XSM_TARGET; the callers check `caller !== target` first): a domain on its target list, or — when the backend runs as the control
 * domain — any domain (`is_control_domain`). Decided from stored state: the target list and the
 * placement the world records.
 */
export function isPrivilegedFor(state: State, caller: DomId, target: DomId): boolean {
  const c = state.domains[caller];
  if (c !== undefined && c.targets.includes(target)) return true;
  return caller === state.gpu.backend && state.adversary?.privilege === 'control-domain';
}

/** `generatedWhen` of the compromised backend's moves: only campaigns whose backend is compromised draw them. */
export function whenBackendCompromised(knobs: KnobValues): boolean {
  return adversaryConfig(knobs).backend === 'compromised';
}

/** `generatedWhen` of a compromised guest's moves: only campaigns with a compromised client or non-client draw them. */
export function whenGuestCompromised(knobs: KnobValues): boolean {
  const c = adversaryConfig(knobs);
  return c.client === 'compromised' || c.nonClient === 'compromised';
}
