import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { INVARIANTS } from '../../../invariants/registry.ts';
import { loadDesignFile } from '../../../src/audit/designFile.ts';
import { EXIT_HARNESS, EXIT_SIGINT } from '../../../src/cli/exitCodes.ts';
import { CampaignWatchdog } from '../../../src/cli/watchdog/watchdog.ts';
import type { CampaignOptions } from '../../../src/fuzz/campaign.ts';
import { runCampaign } from '../../../src/fuzz/campaign.ts';
import { knobDefaults } from '../../../src/model/core/design.ts';
import type { Design } from '../../../src/model/core/design.ts';
import { xenMapForDma } from '../../../src/model/core/designs/xenMapForDma.ts';
import { DEFAULT_SCOPE } from '../../../src/model/core/scope.ts';
import { outputProblem } from '../../../src/trace/schemas/outputSchemas.ts';
import { runCli } from '../../helpers/cli.ts';
import { tempDir } from '../../helpers/entries.ts';

const LOOPS = 'test/fixtures/designs/loopsForever.ts';
/** Small so the tests are quick; the assertions are on outcomes, never on the time taken. */
const STALL = '0.5';

async function loopsForever(): Promise<Design> {
  const l = await loadDesignFile(LOOPS);
  if (!l.ok) throw new Error(l.message);
  return l.design;
}

function options(design: Design, runs: number): CampaignOptions {
  return { seed: 1, budget: { runs }, scope: DEFAULT_SCOPE, knobs: knobDefaults(design), invariants: INVARIANTS.filter((i) => design.invariants.includes(i.id)) };
}

/** A campaign result as the reports see it, without the design object and the wall-clock time. */
function comparable(r: { design: Design; elapsedMs: number }): unknown {
  const { design: _d, elapsedMs: _t, ...rest } = r;
  return JSON.parse(JSON.stringify(rest, (k, v) => (k === 'msToFirstFailure' ? undefined : v)));
}

describe('the per-step watchdog', () => {
  const watchdog = new CampaignWatchdog(Number(STALL));
  afterAll(() => watchdog.close());

  it('a fuzz campaign whose op loops forever ends with an error verdict naming the op and its arguments', async () => {
    const design = await loopsForever();
    const r = await watchdog.run({ file: LOOPS }, design, options(design, 50));
    expect(r.stalled).toMatch(/^op shadowSet\(client=\d+, slot=\d+, gfn=\d+\) did not return within the 0\.5 s step timeout/);
    expect(r.verdicts.map((v) => v.verdict)).toEqual(design.invariants.map(() => 'error'));
    for (const v of r.verdicts) {
      expect(v.counterexample?.kind).toBe('error');
      expect(v.counterexample?.failingAction?.op).toBe('shadowSet');
      expect(v.counterexample?.message).toBe(r.stalled);
    }
  });

  it('after a stall the next campaign gets a fresh worker, and its verdicts and traces are those of an in-process run', async () => {
    for (const design of [xenMapForDma]) {
      const watched = await watchdog.run({ builtin: design.id }, design, options(design, 200));
      expect(watched.stalled).toBeUndefined();
      expect(comparable(watched)).toEqual(comparable(runCampaign(design, options(design, 200))));
    }
  });
});

describe('the watchdog from the command line', () => {
  it('audit of a design whose op loops forever: every candidate verdict an error, the op named once, the corpus not replayed on it, exit 4', async () => {
    const r = await runCli(['audit', LOOPS, '--runs', '20', '--step-timeout', STALL, '--json']);
    expect(r.code).toBe(EXIT_HARNESS);
    const doc = JSON.parse(r.out);
    expect(outputProblem(doc)).toBeUndefined();
    expect(doc.rows.length).toBeGreaterThan(0);
    // The baseline (xen-map-for-dma) holds all but the level it is known to break with correct principals.
    expect(doc.rows.filter((row: { baseline: { verdict: string } }) => row.baseline.verdict === 'holds').length).toBeGreaterThanOrEqual(8);
    for (const row of doc.rows) {
      expect(['holds', 'violated']).toContain(row.baseline.verdict);
      expect(row.candidate.verdict).toBe('error');
      expect(row.change).toBe('error');
    }
    // The stall is one harness error, however many invariants it cut short.
    expect(doc.errors).toHaveLength(1);
    expect(doc.errors[0]).toMatchObject({ side: 'candidate', op: 'shadowSet' });
    expect(doc.errors[0].message).toMatch(/^op shadowSet\(.*\) did not return within the 0\.5 s step timeout/);
    for (const c of doc.corpus) expect(c.candidate).toBe('error: not replayed (an op did not return while fuzzing)');
  });

  it('fuzz under the watchdog gives the same report as in-process (--step-timeout 0)', async () => {
    const argv = ['fuzz', '--design', 'xen-translate-gpfn', '--seed', '3', '--runs', '200', '--json'];
    const watched = await runCli(argv);
    const inProcess = await runCli([...argv, '--step-timeout', '0']);
    expect(watched.code).toBe(inProcess.code);
    const strip = (s: string) => JSON.stringify(JSON.parse(s), (k, v) => (k === 'elapsedMs' || k === 'msToFirstFailure' ? undefined : v));
    expect(strip(watched.out)).toBe(strip(inProcess.out));
    expect(JSON.parse(watched.out).results.some((x: { verdict: string }) => x.verdict === 'violated')).toBe(true);
  });

  it('--step-timeout is range-checked like every number', async () => {
    const r = await runCli(['audit', LOOPS, '--step-timeout', '-1']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--step-timeout');
  });

  it('two Ctrl-Cs quit an audit stuck in an op that never returns (the command thread is not the stuck one)', async () => {
    const corpus = tempDir();
    const mark = join(tempDir(), 'spinning');
    const child = spawn(process.execPath, ['bin/shadowcheck.mjs', 'audit', LOOPS, '--runs', '20', '--step-timeout', '3600', '--corpus', corpus], {
      env: { ...process.env, SHADOWCHECK_FIXTURE_SPIN_MARK: mark },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    // The first Ctrl-C is answered (its message printed) only if the command's thread is free while
    // the op spins; the second then quits at once. Without the worker neither is ever answered.
    const acknowledged = new Promise<void>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes('Ctrl-C again to quit')) resolve();
      });
    });
    // Wait until the candidate's op is spinning (the fixture writes `mark` just before), not a guessed delay.
    while (!existsSync(mark)) await new Promise((resolve) => setTimeout(resolve, 50));
    child.kill('SIGINT');
    await acknowledged;
    child.kill('SIGINT');
    const code = await exited;
    expect(stderr).toContain('shadowcheck: Ctrl-C: stopping');
    expect(code).toBe(EXIT_SIGINT);
  }, 60_000);
});
