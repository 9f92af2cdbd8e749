/**
 * Human rendering of traces: one action per line with its answer, the violating step marked, the
 * witnesses in words. Pure functions from data to text; finding and saying are kept apart.
 */
import { findInvariant } from '../../invariants/registry.ts';
import type { Witness } from '../../invariants/types.ts';
import { hex } from '../model/core/words.ts';
import type { Action, OpResult } from '../model/core/op.ts';
import { CONTINUE } from '../model/core/phase.ts';
import type { Step, Violation } from '../runner/outcome.ts';

/**
 * "shadowSet client=1 slot=0 gfn=0"; a phase of a preempted handler names its continuation, its
 * phase index and what the phase does: "continue destroyDomain:d1 phase=1 (relinquish p2m)".
 */
export function actionText(a: Action): string {
  if (a.op === CONTINUE && typeof a.cont === 'string' && typeof a.at === 'string' && Object.keys(a).length === 4) {
    return `continue ${a.cont} phase=${String(a.phase)} (${a.at})`;
  }
  const args = Object.entries(a)
    .filter(([k]) => k !== 'op')
    .map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v.join(',')}]` : String(v)}`);
  return [a.op, ...args].join(' ');
}

/** "ok", "ok → 0x6", "EPERM", "ERESTART (continuation pending)". */
export function resultText(r: OpResult): string {
  if (!r.ok) return r.err === 'ERESTART' ? 'ERESTART (continuation pending)' : r.err;
  return r.value === undefined ? 'ok' : `ok → ${hex(r.value)}`;
}

/** A witness in words, by the invariant that found it. */
export function witnessText(invariant: string, w: Witness): string {
  const inv = findInvariant(invariant);
  if (inv === undefined) return JSON.stringify(w);
  try {
    return inv.describe(w);
  } catch {
    return JSON.stringify(w);
  }
}

/** Render a trace: numbered steps, results, warnings, the violating step marked. */
export function traceLines(trace: readonly Step[], violatingStep: number, violations: readonly Violation[]): string[] {
  const width = Math.max(20, ...trace.map((s) => actionText(s.action).length));
  const lines: string[] = [];
  if (violatingStep < 0) lines.push('  (violated in the initial state, before any action)');
  trace.forEach((s, i) => {
    const mark = i === violatingStep ? `   ✗ ${violations.map((v) => v.invariant).join(', ')}` : '';
    lines.push(`  ${String(i + 1).padStart(2)}. ${actionText(s.action).padEnd(width)}  → ${resultText(s.result)}${mark}`);
    for (const w of s.warnings ?? []) lines.push(`      warning: ${w}`);
  });
  return lines;
}

/** Render the witnesses of the violations, at most `max` per invariant. */
export function witnessLines(violations: readonly Violation[], max = 3): string[] {
  const lines: string[] = [];
  for (const v of violations) {
    for (const w of v.witnesses.slice(0, max)) lines.push(`  witness (${v.invariant}): ${witnessText(v.invariant, w)}`);
    const more = v.witnesses.length - max;
    if (more > 0) lines.push(`  … and ${more} more ${more === 1 ? 'witness' : 'witnesses'} of ${v.invariant}`);
  }
  return lines;
}
