/**
 * The small scopes `check` explores, one named scope per design (TLC's model values, Alloy's
 * `for 3`): a handful of domains, frames and GFNs — enough for each design's known races, small
 * enough that breadth-first search reaches a useful depth. `--scope field=value` overrides a field.
 */
import type { Design } from '../model/core/design.ts';
import type { Scope } from '../model/core/scope.ts';
import { DEFAULT_SCOPE } from '../model/core/scope.ts';

/** A named scope. */
export interface NamedScope {
  name: string;
  scope: Scope;
  /** Pick indices enumerated: a pick wraps, so this reaches every element of live sets up to this size. */
  pickLimit: number;
}

/**
 * The core designs' scope: dom0 (the backend, and the toolstack) and one XenGT client, no spare id;
 * 5 frames (one Xen's, one page per domain, two free); 2 GFNs and 2 BFNs per domain; one grant ref
 * and one DMA slot. The seed's race needs no second guest: the ballooned-out frame may go to dom0 or
 * to Xen. Each level multiplies the states by about 4.5, so depth 6 is ~90,000 states.
 */
const CORE_SMALL: Scope = {
  ...DEFAULT_SCOPE,
  domains: 2,
  spareDomains: 0,
  frames: 5,
  xenFrames: 1,
  gfns: 2,
  bfns: 2,
  grantRefs: 1,
  dmaSlots: 1,
  initialPages: 1,
  maxPages: 2,
};

/**
 * Two XenGT clients (dom1, dom2) beside dom0, for what needs two guests of the same role (and for
 * symmetry reduction to have domains to rename): 3 GFNs, 9 frames, 2 DMA slots. About 8× per level.
 */
export const CORE_TWO_GUESTS: Scope = { ...CORE_SMALL, domains: 3, frames: 9, gfns: 3, initialPages: 2, maxPages: 3, dmaSlots: 2 };

/** Named scopes by design id; a design not listed gets `slice-small`. */
const BY_DESIGN: Record<string, NamedScope> = {
  'xen-translate-gpfn': { name: 'core-small', scope: CORE_SMALL, pickLimit: 6 },
  'xen-map-for-dma': { name: 'core-small', scope: CORE_SMALL, pickLimit: 6 },
};

/**
 * The fallback for the slices' designs: the default sizes (their worlds lay out platforms, page
 * tables and BARs that need them — RMRR needs 20 GFNs) without spare domain ids, one grant ref and two
 * DMA slots. Their state is keyed plain (canon.ts), and their branching is large: expect a shallow
 * depth, and `--scope` to cut further where the world allows it.
 */
const SLICE_SMALL: NamedScope = {
  name: 'slice-small',
  scope: { ...DEFAULT_SCOPE, spareDomains: 0, grantRefs: 1, dmaSlots: 2 },
  pickLimit: 6,
};

/** The named small scope of a design. */
export function checkScopeOf(design: Design): NamedScope {
  return BY_DESIGN[design.id] ?? SLICE_SMALL;
}

/** The scope fields `--scope` may set, with their ranges. */
export const SCOPE_FIELDS: readonly (keyof Scope)[] = ['domains', 'spareDomains', 'frames', 'xenFrames', 'gfns', 'bfns', 'grantRefs', 'dmaSlots', 'initialPages', 'maxPages'];

/**
 * Apply `field=value` overrides (and `pickLimit=N`) to a named scope; the name becomes
 * "<name>+field=value…". Returns an error message for an unknown field or a bad value.
 */
export function withOverrides(base: NamedScope, overrides: readonly string[]): NamedScope | string {
  const scope: Scope = { ...base.scope };
  let pickLimit = base.pickLimit;
  for (const o of overrides) {
    const m = /^([A-Za-z]+)=(0|[1-9][0-9]{0,5})$/.exec(o);
    if (m === null) return `--scope takes field=N, not '${o}'`;
    const [, field, text] = m;
    const n = Number(text);
    if (field === 'pickLimit') {
      if (n < 1) return '--scope pickLimit must be at least 1';
      pickLimit = n;
    } else if ((SCOPE_FIELDS as readonly string[]).includes(field)) {
      scope[field as keyof Scope] = n;
    } else {
      return `--scope: unknown field '${field}' (valid: ${[...SCOPE_FIELDS, 'pickLimit'].join(', ')})`;
    }
  }
  if (scope.domains < 1) return '--scope domains must be at least 1';
  if (scope.xenFrames > scope.frames) return '--scope xenFrames cannot exceed frames';
  const name = overrides.length > 0 ? `${base.name}+${overrides.join(',')}` : base.name;
  return { name, scope, pickLimit };
}
