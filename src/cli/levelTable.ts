/**
 * The level table (issue 10 item 4): Tim Deegan's four isolation levels (seed 000, 2014-12-11 21:29)
 * as the report's first screen for the XenGT designs — one row per design × adversary setting ×
 * backend placement, each level held or broken (with the shortest trace found). Built from the fuzz
 * report's rows of the four level invariants; `--json` carries it as `levels`.
 */
import type { ResultRow } from './report.ts';

/** The level invariants, by level. */
const LEVEL_IDS = ['level-0-xen-protected', 'level-1-clients-only', 'level-2-clients-isolated', 'level-3-only-what-was-given'] as const;

/** One level of one row: held, broken (with its shortest counterexample), or not checked in that campaign. */
export interface LevelCell {
  level: number;
  invariant: string;
  verdict: 'held' | 'broken' | 'error' | 'not checked';
  /** Whether the verdict is what the design expects. */
  asExpected: boolean;
  /** For a broken level: the shrunk trace's length and its actions in one line. */
  actions?: number;
  trace?: string;
}

/** One row: a design under one adversary setting and backend placement. */
export interface LevelRow {
  design: string;
  /** Knob settings besides the defaults (what `--set` would say). */
  settings: string[];
  /** Who is compromised ("none" when every principal is correct). */
  compromised: string;
  /** Where the backend runs. */
  placement: string;
  levels: LevelCell[];
}

/** The setting of one knob in a row's knobs, as a string. */
function knob(row: ResultRow, name: string, fallback: string): string {
  const v = row.knobs[name];
  return v === undefined ? fallback : String(v);
}

/** The level table of a report's rows; empty when no level invariant was checked. */
export function levelTable(results: readonly ResultRow[]): LevelRow[] {
  const rows = new Map<string, LevelRow>();
  for (const r of results) {
    const level = (LEVEL_IDS as readonly string[]).indexOf(r.invariant);
    if (level < 0) continue;
    const key = `${r.design}|${r.settings.join(' ')}`;
    let row = rows.get(key);
    if (row === undefined) {
      const who = ['backend', 'client', 'nonClient'].filter((p) => knob(r, p, 'correct') === 'compromised');
      row = {
        design: r.design,
        settings: r.settings,
        compromised: who.length === 0 ? 'none' : who.join('+'),
        placement: knob(r, 'backendPrivilege', 'device-model'),
        levels: LEVEL_IDS.map((invariant, i) => ({ level: i, invariant, verdict: 'not checked', asExpected: true })),
      };
      rows.set(key, row);
    }
    const cx = r.counterexample;
    row.levels[level] = {
      level,
      invariant: r.invariant,
      verdict: r.verdict === 'holds' ? 'held' : r.verdict === 'error' ? 'error' : 'broken',
      asExpected: r.asExpected,
      ...(cx !== undefined && r.verdict === 'violated' ? { actions: cx.length, trace: cx.actions.map((a) => a.op).join(' → ') } : {}),
    };
  }
  return [...rows.values()];
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/** A cell in words: "held", "BROKEN 2", with "!" when the design expected otherwise. */
function cellText(c: LevelCell): string {
  const base = c.verdict === 'held' ? 'held' : c.verdict === 'broken' ? `BROKEN ${c.actions ?? '?'}` : c.verdict === 'error' ? 'ERROR' : '-';
  return c.asExpected ? base : `${base}!`;
}

/** The table as text: one line per row, the number after BROKEN the shortest trace's length in actions. */
export function levelTableLines(rows: readonly LevelRow[]): string[] {
  if (rows.length === 0) return [];
  const cols = [
    ['design', 'compromised', 'backend', 'L0 xen', 'L1 clients', 'L2 isolated', 'L3 given'],
    ...rows.map((r) => [r.design + (extraSettings(r) === '' ? '' : ` [${extraSettings(r)}]`), r.compromised, r.placement, ...r.levels.map(cellText)]),
  ];
  const widths = cols[0].map((_, i) => Math.max(...cols.map((c) => c[i].length)));
  return [
    "Tim Deegan's isolation levels (seed 000, 2014-12-11 21:29) — BROKEN n: shortest trace, n actions; ! not as the design expects",
    ...cols.map((c) => '  ' + c.map((cell, i) => pad(cell, widths[i])).join('  ').trimEnd()),
  ];
}

/** Settings of a row other than the adversary and placement knobs (e.g. checkTarget=false). */
function extraSettings(r: LevelRow): string {
  return r.settings.filter((s) => !/^(backend|client|nonClient|backendPrivilege)=/.test(s)).join(' ');
}

/**
 * The adversary settings of the full level matrix (`fuzz --levels`): every principal correct, the
 * backend compromised, a client compromised — each with the backend de-privileged and in the control
 * domain — as `--set` lists.
 */
export const LEVEL_MATRIX: readonly (readonly string[])[] = ['device-model', 'control-domain'].flatMap((p) => [
  [`backendPrivilege=${p}`],
  ['backend=compromised', `backendPrivilege=${p}`],
  ['client=compromised', `backendPrivilege=${p}`],
]);
