/**
 * Viewer pages for what the CLI finds: one per corpus entry (`explain --html`, `fuzz --html`) and one
 * per audited invariant with a counterexample (`audit --html`), the latter with the baseline and the
 * candidate each running the same trace side by side.
 */
import { findInvariant } from '../../../invariants/registry.ts';
import type { Design } from '../../model/core/design.ts';
import { knobDefaults } from '../../model/core/design.ts';
import type { Scope } from '../../model/core/scope.ts';
import { settingsOf } from '../../model/core/settings.ts';
import type { Step } from '../../runner/outcome.ts';
import type { CorpusEntry } from '../corpusEntry.ts';
import { fullKnobs } from '../digest.ts';
import { actionText } from '../render.ts';
import { entryScope, stepWords } from '../replay.ts';
import { sideView } from './sideView.ts';
import type { SideView, ViewerPage } from './viewerData.ts';

/** The step a page opens at: the first violated one of any side, else the last. */
function focusOf(sides: readonly SideView[], steps: number): number {
  for (let k = 0; k <= steps; k++) if (sides.some((s) => s.steps[k]?.violated)) return k;
  return steps;
}

/**
 * The page for a corpus entry run on `design` (the entry's own design, looked up by the caller). The
 * entry's recorded actions are re-run; `source` says where the entry came from (its file), `command`
 * how to reproduce it.
 */
export function entryPage(entry: CorpusEntry, design: Design, source: string, command?: string): ViewerPage | { error: string } {
  const invariant = findInvariant(entry.invariant);
  if (invariant === undefined) return { error: `unknown invariant '${entry.invariant}'` };
  const knobs = fullKnobs(design, entry.knobs);
  const actions = entry.trace.map((s) => s.action);
  let side: SideView;
  try {
    side = sideView({ role: '', design, knobs, scope: entryScope(entry), invariant, actions });
  } catch (e) {
    return { error: `building ${design.id}'s world threw: ${e instanceof Error ? e.message : String(e)}` };
  }
  const settings = settingsOf(design, knobs);
  const recorded = entry.expect.verdict === 'violated' ? `violated at ${stepWords(entry.expect.step)}` : 'holds (recorded as fixed)';
  return {
    format: 1,
    title: `${entry.invariant} on ${design.id}`,
    about: [
      `design ${design.id} ${settings.length > 0 ? `[${settings.join(' ')}]` : '(defaults)'} — ${design.title}`,
      `invariant ${invariant.id} (${invariant.category}): ${invariant.title}`,
      `recorded: ${recorded}; replayed now: ${side.verdict}`,
      `from ${source}`,
    ],
    actions: actions.map(actionText),
    focus: focusOf([side], actions.length),
    sides: [side],
    ...(command !== undefined ? { command } : {}),
  };
}

/**
 * What an audit page needs of an audit's result (src/audit/audit.ts's AuditResult has this shape; the
 * trace layer sits below audit, so it says what it reads rather than importing it).
 */
export interface AuditRows {
  rows: readonly {
    invariant: string;
    change: string;
    baseline: AuditSide;
    candidate: AuditSide;
    /** The candidate trace that does not break the baseline (a new or different break), shown first. */
    newBreak?: AuditSide['evidence'];
  }[];
}

/** One side of an audit row: its verdict, and the trace that shows it when there is one. */
export interface AuditSide {
  verdict: string;
  evidence?: { from: 'fuzz' | 'corpus' | 'exhaustive' | 'replay'; file?: string; trace: readonly Step[] };
}

/** One audit page: the invariant's shortest counterexample, run on the baseline and the candidate. */
export interface AuditPage {
  invariant: string;
  page: ViewerPage;
}

/** Pages for every audited invariant for which either side has a counterexample trace. */
export function auditPages(result: AuditRows, baseline: Design, candidate: Design, scope: Scope, command: string, exhaustiveScope?: Scope): AuditPage[] {
  const pages: AuditPage[] = [];
  for (const row of result.rows) {
    const evidence = row.newBreak ?? row.candidate.evidence ?? row.baseline.evidence;
    const invariant = findInvariant(row.invariant);
    if (evidence === undefined || invariant === undefined || evidence.trace.length === 0) continue;
    const actions = evidence.trace.map((s) => s.action);
    const sides: SideView[] = [];
    for (const [role, design] of [['baseline', baseline], ['candidate', candidate]] as const) {
      if (!design.invariants.includes(invariant.id)) continue;
      try {
        // A trace the exhaustive pass found runs in the small scope it was found in.
        const where = evidence.from === 'exhaustive' && exhaustiveScope !== undefined ? exhaustiveScope : scope;
        sides.push(sideView({ role, design, knobs: knobDefaults(design), scope: where, invariant, actions }));
      } catch {
        // A world that cannot be built is reported by the audit itself; the page shows the other side.
      }
    }
    if (sides.length === 0) continue;
    const whose = row.newBreak !== undefined || row.candidate.evidence !== undefined ? 'candidate' : 'baseline';
    pages.push({
      invariant: row.invariant,
      page: {
        format: 1,
        title: `${row.invariant}: ${row.change} (${candidate.id} against ${baseline.id})`,
        about: [
          `invariant ${invariant.id} (${invariant.category}): ${invariant.title}`,
          `baseline ${baseline.id}: ${row.baseline.verdict}; candidate ${candidate.id}: ${row.candidate.verdict} — ${row.change}`,
          `the ${whose}'s ${evidence.from === 'corpus' ? `corpus entry ${evidence.file ?? ''}` : evidence.from === 'fuzz' ? 'shrunk fuzz trace' : `${evidence.from} trace`}, run on both designs at their default knobs`,
        ],
        actions: actions.map(actionText),
        focus: focusOf(sides, actions.length),
        sides,
        command,
      },
    });
  }
  return pages;
}
