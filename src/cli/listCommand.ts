/**
 * `shadowcheck list`: the designs (with knobs and expectations) and the invariants (with rationale).
 */
import { INVARIANTS } from '../../invariants/registry.ts';
import { describeTeardown } from '../model/core/ops/teardownOps.ts';
import { DESIGNS } from '../model/designs.ts';
import { knobDefaults } from '../model/core/design.ts';
import type { FlagTable } from './args.ts';
import { parseArgs, UsageError } from './args.ts';

/** Flags `list` accepts (none yet; `--help` is main's). */
export const LIST_FLAGS = {} as const satisfies FlagTable;

/** The `list` command: returns the exit code. */
export function listCommand(argv: readonly string[], out: (s: string) => void): number {
  const { positional } = parseArgs(argv, LIST_FLAGS);
  if (positional.length > 0) throw new UsageError(`list takes no arguments (got '${positional[0]}')`);
  out(listText());
  return 0;
}

/** Text for `shadowcheck list`. */
export function listText(): string {
  const out: string[] = ['Designs', ''];
  for (const d of DESIGNS) {
    out.push(`  ${d.id} — ${d.title}`, `    ${d.description}`, `    source: ${d.source}`);
    for (const [name, k] of Object.entries(d.knobs)) {
      out.push(`    knob ${name} = ${String(k.default)} (${k.values.map(String).join(' | ')}): ${k.description}`);
    }
    const settings = [knobDefaults(d), ...(d.variants ?? []).map((v) => ({ ...knobDefaults(d), ...v }))];
    settings.forEach((knobs, i) => {
      const label = i === 0 ? 'defaults' : Object.entries(d.variants![i - 1]).map(([k, v]) => `${k}=${String(v)}`).join(' ');
      const broken = Object.entries(d.expect(knobs)).filter(([, e]) => e.verdict === 'violated');
      out.push(`    expected with ${label}: ${broken.length === 0 ? 'holds every invariant' : `breaks ${broken.map(([id]) => id).join(', ')}`}`);
      for (const [id, e] of broken) out.push(`      ${id}: ${e.why}`);
    });
    out.push(`    ops: ${d.ops.map((o) => o.name).join(', ')}`);
    for (const line of describeTeardown(d.teardown)) out.push(`    ${line}`);
    out.push('');
  }
  out.push('Invariants', '');
  for (const inv of INVARIANTS) {
    const level = inv.level !== undefined ? `, level ${inv.level}` : '';
    out.push(`  ${inv.id} (${inv.category}${level}${inv.kind === 'transition' ? ', transition' : ''}) — ${inv.title}`);
    out.push(`    ${inv.rationale}`, `    source: ${inv.source}`, '');
  }
  return out.join('\n');
}
