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
 * The core designs' scope: dom0 (the backend) and two XenGT clients, no spare id; 9 frames (one
 * Xen's, two pages per guest, two free); 3 GFNs and 2 BFNs per domain; one grant ref and two DMA slots.
 */
const CORE_SMALL: Scope = {
  ...DEFAULT_SCOPE,
  domains: 3,
  spareDomains: 0,
  frames: 9,
  xenFrames: 1,
  gfns: 3,
  bfns: 2,
  grantRefs: 1,
  dmaSlots: 2,
  initialPages: 2,
  maxPages: 3,
};

/** Named scopes by design id; a design not listed gets `slice-small`. */
const BY_DESIGN: Record<string, NamedScope> = {
  'xen-translate-gpfn': { name: 'core-small', scope: CORE_SMALL, pickLimit: 9 },
  'xen-map-for-dma': { name: 'core-small', scope: CORE_SMALL, pickLimit: 9 },
};

/** The fallback: the default scope with fewer domains, GFNs and frames (slices bring their own worlds). */
const SLICE_SMALL: NamedScope = {
  name: 'slice-small',
  scope: { ...DEFAULT_SCOPE, domains: 3, spareDomains: 0, gfns: 4, bfns: 4, grantRefs: 1, dmaSlots: 2, initialPages: 2, maxPages: 3 },
  pickLimit: 4,
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
