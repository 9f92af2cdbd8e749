import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_SIGINT, EXIT_SIGTERM } from '../../src/cli/exitCodes.ts';
import { replayFile } from '../../src/trace/replay.ts';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/entries.ts';

describe('signals during fuzz', () => {
  it.each([
    ['SIGINT', EXIT_SIGINT],
    ['SIGTERM', EXIT_SIGTERM],
  ] as const)('%s during the only --runs campaign is honoured: the report prints, findings are saved, the exit code says it stopped', async (signal, exit) => {
    const corpus = tempDir();
    // The campaign runs synchronously from the call on; this fires at its end, as a signal that
    // arrived during it is delivered then.
    queueMicrotask(() => void process.emit(signal));
    const r = await runCli(['fuzz', '--design', 'xen-translate-gpfn', '--invariant', 'no-stale-reference', '--no-variants', '--seed', '1', '--runs', '300', '--save', '--corpus', corpus]);
    expect(r.code).toBe(exit);
    expect(r.out).toContain('no-stale-reference');
    const saved = readdirSync(join(corpus, 'xen-translate-gpfn'));
    expect(saved).toHaveLength(1);
    expect(replayFile(join(corpus, 'xen-translate-gpfn', saved[0])).status).toBe('reproduced');
    expect(process.listenerCount('SIGTERM')).toBe(0);
  });

  it('a real SIGTERM (what CI timeouts send) prints the report and exits 143 instead of dying silently', async () => {
    const child = spawn(process.execPath, ['bin/shadowcheck.mjs', 'fuzz', '--design', 'xen-map-for-dma', '--set', 'checkTarget=true', '--time', '120'], {
      env: { ...process.env, CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => void (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
    // Long enough for tsx to load the CLI and the campaign to start; far shorter than the 120 s budget.
    const timer = setTimeout(() => child.kill('SIGTERM'), 5000);
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    clearTimeout(timer);
    expect(stderr).toContain('shadowcheck: SIGTERM: stopping after the current chunk of runs');
    expect(code).toBe(EXIT_SIGTERM);
    expect(stdout).toMatch(/verdicts as expected/);
  }, 60_000);
});
