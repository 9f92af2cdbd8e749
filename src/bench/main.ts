/**
 * `npm run bench`: the harness's speed, measured — never in a timed test.
 *  1. checked steps/s for xen-map-for-dma with every invariant on, beside a bare fast-check
 *     `fc.commands` loop in the same process, and their ratio;
 *  2. for every known-bad (design, knob setting, invariant): time to first counterexample and shrunk
 *     length, median over 10 seeds;
 *  3. any extra measurements registered in EXTRA_BENCHMARKS (e.g. corpus replay speed).
 * Prints a table and writes bench-results/latest.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { findInvariant, INVARIANTS } from '../../invariants/registry.ts';
import { DESIGNS, findDesign } from '../model/designs.ts';
import { knobDefaults } from '../model/core/design.ts';
import type { Design } from '../model/core/design.ts';
import { runCampaign } from '../fuzz/campaign.ts';
import { DEFAULT_SCOPE } from '../model/core/scope.ts';
import type { KnobValues } from '../model/core/op.ts';
import { bareCommandsLoop } from './bareLoop.ts';
import { EXTRA_BENCHMARKS } from './extra.ts';
import { benchWorkers } from './workers.ts';
import { CHECK_BENCHMARKS } from './shortest.ts';
import type { Rate } from './throughput.ts';
import { measureThroughput, medianRate, rate, REPEATS, THROUGHPUT_RUNS } from './throughput.ts';

const SEEDS = 10;


function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Checked steps per second on a sound design with every invariant it is checked against. */
function throughput(design: Design): Rate {
  return measureThroughput(design, knobDefaults(design), INVARIANTS.filter((i) => design.invariants.includes(i.id)));
}

/** The bare fast-check loop, measured the same way. */
function bareThroughput(): Rate {
  bareCommandsLoop(2000, 50, 7);
  const rates: Rate[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const b = bareCommandsLoop(THROUGHPUT_RUNS, 50, 42);
    rates.push(rate(b.steps, b.ms, b.cpuMs));
  }
  return medianRate(rates);
}

interface BrokenRow {
  design: string;
  settings: string;
  invariant: string;
  found: number;
  medianMsToFirst: number;
  medianMsToShrunk: number;
  medianShrunkLength: number;
  maxShrunkLength: number;
}

/** Time to first counterexample and shrunk length for one expected violation, over SEEDS seeds. */
function brokenRow(design: Design, knobs: KnobValues, settings: string, invariantId: string): BrokenRow {
  const inv = findInvariant(invariantId)!;
  const toFirst: number[] = [];
  const toShrunk: number[] = [];
  const lengths: number[] = [];
  for (let seed = 1; seed <= SEEDS; seed++) {
    const started = performance.now();
    const r = runCampaign(design, { seed, budget: { runs: 5000 }, scope: DEFAULT_SCOPE, knobs, invariants: [inv] });
    const v = r.verdicts[0];
    if (v.counterexample === undefined) continue;
    toShrunk.push(performance.now() - started);
    toFirst.push(v.msToFirstFailure ?? 0);
    lengths.push(v.counterexample.trace.length);
  }
  return {
    design: design.id,
    settings,
    invariant: invariantId,
    found: lengths.length,
    medianMsToFirst: toFirst.length ? median(toFirst) : NaN,
    medianMsToShrunk: toShrunk.length ? median(toShrunk) : NaN,
    medianShrunkLength: lengths.length ? median(lengths) : NaN,
    maxShrunkLength: lengths.length ? Math.max(...lengths) : NaN,
  };
}

function main(): void {
  const sound = findDesign('xen-map-for-dma')!;
  const checked = throughput(sound);
  const bare = bareThroughput();
  const fmt = (n: number) => Math.round(n).toLocaleString('en').padStart(9);
  console.log(`Throughput (one JS thread, same process; median of ${REPEATS}): steps/s by wall clock, and per CPU-second of the process`);
  console.log(`  checked steps/s, xen-map-for-dma, all invariants: ${fmt(checked.stepsPerSec)}  (${fmt(checked.stepsPerCpuSec)} per CPU-s; ${checked.steps} steps in ${checked.ms.toFixed(0)} ms)`);
  console.log(`  bare fast-check fc.commands loop, trivial model:  ${fmt(bare.stepsPerSec)}  (${fmt(bare.stepsPerCpuSec)} per CPU-s; ${bare.steps} steps in ${bare.ms.toFixed(0)} ms)`);
  console.log(`  ratio checked/bare: ${(checked.stepsPerSec / bare.stepsPerSec).toFixed(3)}`);

  const rows: BrokenRow[] = [];
  for (const design of DESIGNS) {
    const settings = [knobDefaults(design), ...(design.variants ?? []).map((v) => ({ ...knobDefaults(design), ...v }))];
    for (const knobs of settings) {
      const label = Object.entries(knobs).filter(([k, v]) => knobDefaults(design)[k] !== v).map(([k, v]) => `${k}=${String(v)}`).join(' ') || '(defaults)';
      for (const [inv, e] of Object.entries(design.expect(knobs))) {
        if (e.verdict === 'violated' && design.invariants.includes(inv)) rows.push(brokenRow(design, knobs, label, inv));
      }
    }
  }
  console.log(`\nKnown-bad designs: median over ${SEEDS} seeds`);
  const header = ['design', 'knobs', 'invariant', 'found', 'ms to 1st failure', 'ms to shrunk', 'shrunk length (median/max)'];
  const table = [header, ...rows.map((r) => [r.design, r.settings, r.invariant, `${r.found}/${SEEDS}`, r.medianMsToFirst.toFixed(1), r.medianMsToShrunk.toFixed(1), `${r.medianShrunkLength}/${r.maxShrunkLength}`])];
  const widths = header.map((_, i) => Math.max(...table.map((row) => row[i].length)));
  for (const row of table) console.log('  ' + row.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());

  const extra: Record<string, unknown> = {};
  for (const b of [...EXTRA_BENCHMARKS, ...CHECK_BENCHMARKS]) {
    const result = b.run();
    extra[b.name] = result;
    console.log(`\n${b.name}: ${b.format(result)}`);
  }

  mkdirSync('bench-results', { recursive: true });
  const json = {
    date: new Date().toISOString(),
    node: process.version,
    throughput: { checked, bare, ratio: checked.stepsPerSec / bare.stepsPerSec },
    broken: rows,
    extra,
  };
  writeFileSync('bench-results/latest.json', JSON.stringify(json, null, 2) + '\n');
  console.log('\nwrote bench-results/latest.json');
}

main();
// --workers 1 vs 2 on the default campaign (its own file: src/bench/workers.ts, written to bench-results/workers.json).
await benchWorkers();
