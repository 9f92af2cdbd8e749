/**
 * Benchmarks of `shadowcheck check` for `npm run bench`:
 *  - shortest is checked: for every expected violation of every design (and knob variant), fuzz's
 *    shrunk length beside the breadth-first shortest in the same scope (the design's check scope),
 *    and their ratio (1 means fuzz's shrinker found a shortest trace);
 *  - symmetry reduction's effect: distinct states with and without it, same verdicts;
 *  - Spin beside us on the translate race (spin.ts).
 */
import { findInvariant } from '../../invariants/registry.ts';
import type { Design } from '../model/core/design.ts';
import { knobDefaults } from '../model/core/design.ts';
import { DESIGNS, findDesign } from '../model/designs.ts';
import type { KnobValues } from '../model/core/op.ts';
import type { Scope } from '../model/core/scope.ts';
import { runCampaign } from '../fuzz/campaign.ts';
import { invariantsOf } from '../fuzz/fuzzDesign.ts';
import { runCheck } from '../check/explore.ts';
import type { ShortenOutcome } from '../check/shorten.ts';
import { SHORTEN_LIMITS, shortenByBfs } from '../check/shorten.ts';
import type { Reduction } from '../check/canon.ts';
import { CORE_TWO_GUESTS, checkScopeOf } from '../check/scopes.ts';
import type { ExtraBenchmark } from './extra.ts';
import { spinBenchmark } from './spin.ts';

/** One expected violation: fuzz's shrunk length and the BFS shortest in the same scope. */
export interface ShortestRow {
  design: string;
  settings: string;
  invariant: string;
  scope: string;
  /** Fuzz's shrunk length (seed 1, 2000 runs in the check scope); undefined when fuzz did not find it. */
  shrunk?: number;
  /** The length after BFS-backed shortening (src/check/shorten.ts): what the ratio is taken of. */
  shortened?: number;
  /** What the shortening pass did. */
  pass?: ShortenOutcome['kind'];
  /** BFS shortest (undefined when not found within the depth and state limits). */
  shortest?: number;
  states: number;
  /** Every trace of at most this many actions was explored by the BFS (so none shorter than this + 1 breaks it when it found none). */
  depthComplete: number;
  /** The BFS stopped at its state limit before its depth bound. */
  stateLimit: boolean;
  /** shortened ÷ shortest; when the BFS found none but proved the shortened length shortest (it is depthComplete + 1), 1. */
  ratio?: number;
}

/** Limits of the BFS per row: the rows must finish in a bench run. */
const BFS_DEPTH = 6;
const BFS_MAX_STATES = 30_000;

/** Fuzz shrunk length and BFS shortest for one expected violation. */
export function shortestRow(design: Design, knobs: KnobValues, settings: string, invariant: string, seed = 1, bfsMaxStates = BFS_MAX_STATES): ShortestRow {
  const named = checkScopeOf(design);
  const scope: Scope = named.scope;
  const inv = findInvariant(invariant)!;
  const fuzz = runCampaign(design, { seed, budget: { runs: 2000 }, scope, knobs, invariants: [inv] });
  const cx = fuzz.verdicts[0].counterexample;
  const shrunk = cx?.trace.length;
  const pass = cx === undefined ? undefined : shortenByBfs(design, knobs, scope, inv, cx, { ...SHORTEN_LIMITS, pickLimit: named.pickLimit });
  const check = runCheck(design, { knobs, scope, scopeName: named.name, pickLimit: named.pickLimit, invariants: [inv], depth: BFS_DEPTH, maxStates: bfsMaxStates, reduction: 'symmetry', stopAtFirst: true });
  const shortest = check.verdicts[0].counterexample?.trace.length;
  const row: ShortestRow = { design: design.id, settings, invariant, scope: named.name, states: check.states, depthComplete: check.depthComplete, stateLimit: check.stopped === 'max-states' || check.stopped === 'memory' };
  if (shrunk !== undefined) row.shrunk = shrunk;
  if (pass !== undefined) {
    row.shortened = pass.counterexample.trace.length;
    row.pass = pass.outcome.kind;
  }
  if (shortest !== undefined) row.shortest = shortest;
  if (row.shortened !== undefined && shortest !== undefined && shortest > 0) row.ratio = row.shortened / shortest;
  // No violation in any trace of ≤ depthComplete actions, and fuzz's is one longer: it is a shortest.
  else if (row.shortened !== undefined && shortest === undefined && row.shortened === check.depthComplete + 1) row.ratio = 1;
  return row;
}

/** Every expected violation of every design and knob variant. */
export function expectedViolations(designs: readonly Design[] = DESIGNS): { design: Design; knobs: KnobValues; settings: string; invariant: string }[] {
  const out: { design: Design; knobs: KnobValues; settings: string; invariant: string }[] = [];
  for (const design of designs) {
    const base = knobDefaults(design);
    for (const knobs of [base, ...(design.variants ?? []).map((v) => ({ ...base, ...v }))]) {
      const settings = Object.entries(knobs).filter(([k, v]) => base[k] !== v).map(([k, v]) => `${k}=${String(v)}`).join(' ') || '(defaults)';
      for (const [invariant, e] of Object.entries(design.expect(knobs))) {
        if (e.verdict === 'violated' && design.invariants.includes(invariant)) out.push({ design, knobs, settings, invariant });
      }
    }
  }
  return out;
}

/** Distinct states and verdicts with and without symmetry reduction, for one design. */
export interface SymmetryRow {
  design: string;
  depth: number;
  plain: number;
  symmetry: number;
  sameVerdicts: boolean;
}

/** Symmetry's effect on one design in the two-guest scope (where there are guests to rename). */
export function symmetryRow(design: Design, depth: number): SymmetryRow {
  const run = (reduction: Reduction) =>
    runCheck(design, { knobs: knobDefaults(design), scope: CORE_TWO_GUESTS, scopeName: 'core-two-guests', pickLimit: 9, invariants: invariantsOf(design), depth, maxStates: 2_000_000, reduction });
  const plain = run('plain');
  const sym = run('symmetry');
  const verdicts = (r: typeof plain) => r.verdicts.map((v) => `${v.invariant}:${v.verdict}:${v.counterexample?.trace.length ?? '-'}`).join(' ');
  return { design: design.id, depth, plain: plain.states, symmetry: sym.states, sameVerdicts: verdicts(plain) === verdicts(sym) };
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => '  ' + r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

/** A row, or the reason it could not be measured (a world the scope cannot build, say). */
function tryRow(x: ReturnType<typeof expectedViolations>[number]): ShortestRow {
  try {
    return shortestRow(x.design, x.knobs, x.settings, x.invariant);
  } catch (e) {
    return { design: x.design.id, settings: x.settings, invariant: x.invariant, scope: `error: ${e instanceof Error ? e.message : String(e)}`, states: 0, depthComplete: 0, stateLimit: false };
  }
}

/** The benchmarks `npm run bench` prints after its own. */
export const CHECK_BENCHMARKS: ExtraBenchmark[] = [
  {
    name: 'shortest is checked (fuzz shrunk length ÷ BFS shortest, same scope)',
    run: () => expectedViolations().map(tryRow),
    format: (r) => {
      const rows = r as ShortestRow[];
      const t = [['design', 'knobs', 'invariant', 'scope', 'shrunk', 'shortened', 'pass', 'BFS shortest', 'states', 'ratio']];
      for (const x of rows) t.push([x.design, x.settings, x.invariant, x.scope, String(x.shrunk ?? 'not found'), String(x.shortened ?? '-'), x.pass ?? '-', x.shortest !== undefined ? String(x.shortest) : x.stateLimit ? `> ${x.depthComplete} (state limit)` : `none ≤ ${x.depthComplete}`, String(x.states), x.ratio === undefined ? '-' : x.ratio.toFixed(2)]);
      return '\n' + table(t);
    },
  },
  {
    name: 'symmetry reduction (distinct states, scope core-two-guests)',
    run: () => ['xen-translate-gpfn', 'xen-map-for-dma'].map((id) => symmetryRow(findDesign(id)!, 3)),
    format: (r) => {
      const rows = r as SymmetryRow[];
      const t = [['design', 'depth', 'plain', 'symmetry', 'reduction', 'same verdicts']];
      for (const x of rows) t.push([x.design, String(x.depth), String(x.plain), String(x.symmetry), `${(x.plain / x.symmetry).toFixed(2)}×`, x.sameVerdicts ? 'yes' : 'NO']);
      return '\n' + table(t);
    },
  },
  spinBenchmark,
];
