/**
 * `shadowcheck list [--json]`: the designs (with knobs and expectations) and the invariants (with
 * rationale). `--json` gives the same as one document (`shadowcheck.list/1`), enough to build a CI
 * matrix: every design with the knob settings a plain `fuzz` runs and what each is expected to break.
 */
import { INVARIANTS } from '../../invariants/registry.ts';
import { describeTeardown } from '../model/core/ops/teardownOps.ts';
import { DESIGNS } from '../model/designs.ts';
import type { Design } from '../model/core/design.ts';
import { knobDefaults } from '../model/core/design.ts';
import type { KnobValues } from '../model/core/op.ts';
import { settingsOf } from '../model/core/settings.ts';
import { OUTPUT_FORMATS } from '../trace/schemas/outputSchemas.ts';
import type { FlagTable } from './args.ts';
import { parseArgs, UsageError } from './args.ts';
import { EXIT_OK } from './exitCodes.ts';

/** Flags `list` accepts. */
export const LIST_FLAGS = {
  json: { kind: 'bool', help: 'print one JSON document (shadowcheck.list/1) instead of the text' },
} as const satisfies FlagTable;

/** The knob settings a plain `fuzz` runs for a design: its defaults, then each variant. */
function designSettings(d: Design): KnobValues[] {
  return [knobDefaults(d), ...(d.variants ?? []).map((v) => ({ ...knobDefaults(d), ...v }))];
}

/** What a design is expected to break with `knobs`. */
function broken(d: Design, knobs: KnobValues): { invariant: string; why: string }[] {
  return Object.entries(d.expect(knobs))
    .filter(([, e]) => e.verdict === 'violated')
    .map(([invariant, e]) => ({ invariant, why: e.why }));
}

/** The `shadowcheck.list/1` document. */
export function listJson(): object {
  return {
    format: OUTPUT_FORMATS.list,
    tool: 'shadowcheck',
    designs: DESIGNS.map((d) => ({
      id: d.id,
      title: d.title,
      description: d.description,
      source: d.source,
      knobs: Object.entries(d.knobs).map(([name, k]) => ({ name, default: k.default, values: [...k.values], description: k.description })),
      settings: designSettings(d).map((knobs) => ({ settings: settingsOf(d, knobs), knobs, violated: broken(d, knobs) })),
      invariants: [...d.invariants],
      ops: d.ops.map((o) => o.name),
    })),
    invariants: INVARIANTS.map((inv) => ({
      id: inv.id,
      title: inv.title,
      category: inv.category,
      ...(inv.level !== undefined ? { level: inv.level } : {}),
      kind: inv.kind,
      rationale: inv.rationale,
      source: inv.source,
    })),
  };
}

/** Text for `shadowcheck list`. */
export function listText(): string {
  const out: string[] = ['Designs', ''];
  for (const d of DESIGNS) {
    out.push(`  ${d.id} — ${d.title}`, `    ${d.description}`, `    source: ${d.source}`);
    for (const [name, k] of Object.entries(d.knobs)) {
      out.push(`    knob ${name} = ${String(k.default)} (${k.values.map(String).join(' | ')}): ${k.description}`);
    }
    designSettings(d).forEach((knobs, i) => {
      const label = i === 0 ? 'defaults' : Object.entries(d.variants![i - 1]).map(([k, v]) => `${k}=${String(v)}`).join(' ');
      const b = broken(d, knobs);
      out.push(`    expected with ${label}: ${b.length === 0 ? 'holds every invariant' : `breaks ${b.map((x) => x.invariant).join(', ')}`}`);
      for (const { invariant, why } of b) out.push(`      ${invariant}: ${why}`);
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

/** The `list` command: returns the exit code. */
export function listCommand(argv: readonly string[], out: (s: string) => void): number {
  const { flags, positional } = parseArgs(argv, LIST_FLAGS);
  if (positional.length > 0) throw new UsageError(`list takes no arguments (got '${positional[0]}')`);
  out(flags.json === true ? JSON.stringify(listJson(), null, 2) : listText());
  return EXIT_OK;
}
