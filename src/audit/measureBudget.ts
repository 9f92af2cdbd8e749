/**
 * `npx tsx src/audit/measureBudget.ts [--seeds 20] [--cap 20000] [DIR]`: for every expected violation of
 * every shipped design (budgetProbe.ts), the run at which it is first found from each seed, the worst
 * of them, and so the smallest run budget that finds every one from every seed — what audit's default
 * (AUDIT_DEFAULT_RUNS) must be at least. Given DIR, the designs are the design files in it instead
 * (test/fixtures/designs/variants/: every shipped variant as a knob file), each at its own defaults,
 * exactly as `audit` fuzzes a candidate. Prints one line per expected violation, then the verdict.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DESIGNS } from '../model/designs.ts';
import type { Design } from '../model/core/design.ts';
import { DEFAULT_SCOPE } from '../model/core/scope.ts';
import { expectedViolations, firstFailingRun } from './budgetProbe.ts';
import { loadDesignFile } from './designFile.ts';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const dir = process.argv.slice(2).find((a, i, all) => !a.startsWith('--') && (i === 0 || !all[i - 1].startsWith('--')));
const files: Design[] = [];
for (const f of dir === undefined ? [] : readdirSync(dir).filter((x) => /\.(json|ts)$/.test(x)).sort()) {
  const loaded = await loadDesignFile(join(dir!, f));
  if (!loaded.ok) throw new Error(loaded.message);
  files.push(loaded.design);
}
const seeds = flag('seeds', 20);
const cap = flag('cap', 20000);
const started = Date.now();
let worst = 0;
const missed: string[] = [];
for (const v of dir === undefined ? expectedViolations(DESIGNS) : expectedViolations(files, false)) {
  const at: (number | undefined)[] = [];
  for (let seed = 1; seed <= seeds; seed++) at.push(firstFailingRun(v, seed, cap, DEFAULT_SCOPE));
  const name = `${v.design.id}${v.settings.length > 0 ? ` [${v.settings.join(' ')}]` : ''} · ${v.invariant}`;
  const found = at.filter((n): n is number => n !== undefined);
  const max = found.length === at.length ? Math.max(...found) : undefined;
  if (max === undefined) missed.push(name);
  else worst = Math.max(worst, max);
  console.log(`${name}: worst run ${max ?? `> ${cap}`} (per seed: ${at.map((n) => n ?? '-').join(' ')})`);
}
console.log(`\nseeds 1-${seeds}: every expected violation found by run ${worst}${missed.length > 0 ? `; NOT found within ${cap}: ${missed.join('; ')}` : ''} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
