/**
 * Spin beside `shadowcheck check` on the same race: `../shared/peers/spin/translate_race.pml`
 * (relative to the repository's parent directory), compiled for breadth-first search (-DBFS, so its
 * trail is a shortest one, as ours is) and run to its first assertion violation; then our check of
 * xen-translate-gpfn's no-stale-reference in a scope of the same sizes (guests A and B beside the
 * backend, 8 frames, 4 GFNs, 4 DMA slots, empty p2ms), also to the first violation. Both states/s
 * come from the same run of the benchmark (ours from a second, warmed-up check; pan's CPU time from the
 * shell's `times`); skipped, with a note, when spin or a C compiler is missing.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findInvariant } from '../../invariants/registry.ts';
import { knobDefaults } from '../model/core/design.ts';
import { findDesign } from '../model/designs.ts';
import { DEFAULT_SCOPE } from '../model/core/scope.ts';
import { runCheck } from '../check/explore.ts';
import type { ExtraBenchmark } from './extra.ts';

/** The peer model, relative to the repository's parent. */
export const SPIN_MODEL = '../shared/peers/spin/translate_race.pml';

/** What the comparison measured. */
export type SpinResult =
  | { skipped: string }
  | {
      spin: { states: number; seconds: number; statesPerSecond: number; endToEndSeconds: number; cpuSeconds?: number; statesPerCpuSecond?: number };
      ours: { states: number; transitions: number; seconds: number; statesPerSecond: number; statesPerCpuSecond: number; shortest?: number };
      /** Ours ÷ Spin's states per wall second. */
      ratio: number;
      /** Ours ÷ Spin's states per CPU-second (user + system): the fairer figure on a loaded machine. */
      cpuRatio?: number;
    };

function which(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Parse pan's output: states stored and elapsed seconds. */
export function parsePan(out: string): { states: number; seconds: number } | undefined {
  const states = /(\d+) states, stored/.exec(out);
  const elapsed = /elapsed time ([0-9.e+-]+) seconds/.exec(out);
  if (states === null || elapsed === null) return undefined;
  return { states: Number(states[1]), seconds: Number(elapsed[1]) };
}

/** The children's CPU seconds (user + system) from the second line of the shell's `times`. */
export function parseTimes(out: string): number | undefined {
  const lines = out.trim().split('\n');
  const m = /^(\d+)m([0-9.]+)s (\d+)m([0-9.]+)s$/.exec(lines[lines.length - 1]?.trim() ?? '');
  if (m === null) return undefined;
  return Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4]);
}

/** Run Spin on the peer model (BFS) and our check on the same race. */
export function spinComparison(repo = process.cwd()): SpinResult {
  // From the repository (/work/main → /work/shared/…); a worktree one level deeper looks one up too.
  const model = [resolve(repo, SPIN_MODEL), resolve(repo, '..', SPIN_MODEL)].find((p) => existsSync(p));
  if (model === undefined) return { skipped: `${SPIN_MODEL} not found` };
  const cc = ['cc', 'gcc', 'clang'].find(which);
  if (!which('spin') || cc === undefined) return { skipped: 'spin or a C compiler is not installed (apt-get install spin gcc)' };
  const dir = mkdtempSync(join(tmpdir(), 'shadowcheck-spin-'));
  let spin: Extract<SpinResult, { spin: unknown }>['spin'];
  try {
    const started = performance.now();
    copyFileSync(model, join(dir, 'model.pml'));
    execFileSync('spin', ['-a', 'model.pml'], { cwd: dir, stdio: 'ignore' });
    execFileSync(cc, ['-O2', '-DBFS', '-o', 'pan', 'pan.c'], { cwd: dir, stdio: 'ignore' });
    // pan exits non-zero when it finds the violation it is meant to find; the shell's `times` then
    // prints pan's CPU time (its own line, after pan's output, which goes to stdout first).
    const out = execFileSync('sh', ['-c', './pan; times'], { cwd: dir, encoding: 'utf8' });
    const parsed = parsePan(out);
    if (parsed === undefined) return { skipped: 'could not read the states and time from pan' };
    spin = { ...parsed, statesPerSecond: parsed.seconds > 0 ? parsed.states / parsed.seconds : NaN, endToEndSeconds: (performance.now() - started) / 1000 };
    const cpu = parseTimes(out);
    if (cpu !== undefined && cpu > 0) Object.assign(spin, { cpuSeconds: cpu, statesPerCpuSecond: parsed.states / cpu });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const design = findDesign('xen-translate-gpfn')!;
  const scope = { ...DEFAULT_SCOPE, domains: 3, spareDomains: 0, frames: 8, xenFrames: 0, gfns: 4, bfns: 1, grantRefs: 1, dmaSlots: 4, initialPages: 0, maxPages: 4 };
  const run = () => runCheck(design, { knobs: knobDefaults(design), scope, scopeName: 'spin-peer', pickLimit: 8, invariants: [findInvariant('no-stale-reference')!], depth: 6, maxStates: 2_000_000, reduction: 'symmetry', stopAtFirst: true });
  // The first run pays V8's warm-up (about half its time at this size); pan is compiled C. Measure the second.
  run();
  const r = run();
  const seconds = r.elapsedMs / 1000;
  const ours = { states: r.states, transitions: r.transitions, seconds, statesPerSecond: seconds > 0 ? r.states / seconds : NaN, statesPerCpuSecond: r.cpuMs > 0 ? (r.states * 1000) / r.cpuMs : NaN, shortest: r.verdicts[0].counterexample?.trace.length };
  const cpuRatio = spin.statesPerCpuSecond === undefined ? undefined : ours.statesPerCpuSecond / spin.statesPerCpuSecond;
  return { spin, ours, ratio: ours.statesPerSecond / spin.statesPerSecond, ...(cpuRatio === undefined ? {} : { cpuRatio }) };
}

/** The bench entry. */
export const spinBenchmark: ExtraBenchmark = {
  name: 'Spin beside check (translate race, BFS to the first violation)',
  run: () => spinComparison(),
  format: (x) => {
    const r = x as SpinResult;
    if ('skipped' in r) return `skipped: ${r.skipped}`;
    const n = (v: number) => Math.round(v).toLocaleString('en');
    return [
      '',
      `  Spin:  ${n(r.spin.states)} states in ${r.spin.seconds.toFixed(2)} s = ${n(r.spin.statesPerSecond)} states/s${r.spin.statesPerCpuSecond === undefined ? '' : ` (${n(r.spin.statesPerCpuSecond)} per CPU-s)`} (${r.spin.endToEndSeconds.toFixed(1)} s with compilation)`,
      `  check (warm): ${n(r.ours.states)} states, ${n(r.ours.transitions)} transitions in ${r.ours.seconds.toFixed(2)} s = ${n(r.ours.statesPerSecond)} states/s (${n(r.ours.statesPerCpuSecond)} per CPU-s); shortest trace ${r.ours.shortest ?? 'not found'} actions`,
      `  ratio check/Spin states/s: ${r.ratio.toFixed(4)}× wall${r.cpuRatio === undefined ? '' : `, ${r.cpuRatio.toFixed(4)}× per CPU-s`} (first bar 0.1×)`,
    ].join('\n');
  },
};
