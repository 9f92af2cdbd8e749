/**
 * `explain`: a saved counterexample step by step — each action, its answer, and what changed in
 * ownership (frames whose owner, references or mappings changed; target lists and domain life),
 * ending with the witness in words. The entry is replayed to recover the states between the steps.
 */
import { findInvariant } from '../../invariants/registry.ts';
import { hex } from '../model/core/words.ts';
import { cloneState } from '../model/core/clone.ts';
import type { State } from '../model/core/state.ts';
import { settingsOf } from '../model/core/settings.ts';
import type { StepChange } from './ownershipDiff.ts';
import { stepChange } from './ownershipDiff.ts';
import type { ReplayOptions, ReplayResult } from './replay.ts';
import { replayFile, stepWords } from './replay.ts';
import { actionText, resultText, traceLines, witnessLines } from './render.ts';

/** Lines for one step's changes. */
function changeLines(c: StepChange): string[] {
  const out: string[] = [];
  for (const d of c.domains) out.push(`       ${d}`);
  for (const f of c.frames) {
    out.push(`       mfn ${hex(f.mfn)}${f.fields.length > 0 ? `: ${f.fields.join(', ')}` : ''}`);
    for (const r of f.refsAdded) out.push(`         + reference: ${r}`);
    for (const r of f.refsDropped) out.push(`         − reference: ${r}`);
    for (const r of f.reachAdded) out.push(`         + reached by ${r}`);
    for (const r of f.reachLost) out.push(`         − no longer reached by ${r}`);
  }
  if (out.length === 0) out.push('       (no change in ownership, references or mappings)');
  return out;
}

/** The header: what the entry is about, and what replaying it gives now. */
function header(file: string, r: ReplayResult): string[] {
  const e = r.entry!;
  const inv = findInvariant(e.invariant);
  const settings = r.design ? settingsOf(r.design, e.knobs) : [];
  const recorded = e.expect.verdict === 'violated' ? `violated at ${stepWords(e.expect.step)} of ${e.trace.length}` : 'holds (recorded as fixed)';
  return [
    `explain ${file}`,
    `design ${e.design.id} ${settings.length > 0 ? `[${settings.join(' ')}]` : '(defaults)'}${r.design ? ` — ${r.design.title}` : ''}`,
    `invariant ${e.invariant}${inv ? ` (${inv.category}): ${inv.title}` : ''}`,
    `recorded: ${recorded}; replayed now: ${r.status.replace(/-/g, ' ')} — ${r.reason}`,
    '',
  ];
}

/**
 * Explain one file. Returns the text and the exit code replay would give it (0 reproduced, 1 no
 * longer reproduces or stale, 2 bad input).
 */
export function explainFile(file: string, opts: ReplayOptions = {}): { text: string; exitCode: number } {
  const states: State[] = [];
  const r = replayFile(file, { ...opts, onState: (s) => void states.push(cloneState(s)) });
  if (r.status === 'bad-input' || r.entry === undefined) return { text: `${file}: ${r.reason}`, exitCode: 2 };
  const e = r.entry;
  const out = header(file, r);
  const violatedAt = r.outcome?.kind === 'violation' ? r.outcome.step : -2;
  if (r.aligned && r.outcome !== undefined) {
    if (violatedAt === -1) out.push('  (violated in the initial state, before any action)');
    r.outcome.trace.forEach((s, i) => {
      const recorded = e.trace[i]?.result;
      const differs = recorded !== undefined && resultText(recorded) !== resultText(s.result) ? `   (recorded: ${resultText(recorded)})` : '';
      const mark = i === violatedAt ? `   ✗ ${e.invariant}` : '';
      out.push(`  ${String(i + 1).padStart(2)}. ${actionText(s.action)}  → ${resultText(s.result)}${differs}${mark}`);
      for (const w of s.warnings ?? []) out.push(`       warning: ${w}`);
      out.push(...changeLines(stepChange(states[i], states[i + 1])));
    });
    const violations = r.outcome.kind === 'violation' ? r.outcome.violations : [];
    out.push('', ...(violations.length > 0 ? witnessLines(violations) : [`  ${e.invariant} holds after the last step`]));
  } else {
    // Some recorded action no longer applies: the states do not line up, so show the trace as recorded.
    out.push('  the trace as recorded (its replay skipped actions, so ownership changes are not shown):');
    out.push(...traceLines(e.trace, e.expect.verdict === 'violated' ? e.expect.step : -2, [{ invariant: e.invariant, witnesses: e.witnesses }]));
    out.push('', ...e.witnessText.map((t) => `  witness (${e.invariant}, recorded): ${t}`));
  }
  for (const n of r.notes) out.push(`  note: ${n}`);
  out.push(`  replay: npx shadowcheck replay ${file}`);
  return { text: out.join('\n'), exitCode: r.status === 'reproduced' ? 0 : 1 };
}
