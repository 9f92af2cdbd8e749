import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnUntilHandled } from '../helpers/spawnUntilHandled.ts';
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
    // The signal goes once the CLI has installed its handler (a guessed delay can be outlasted on a loaded machine).
    const { code, stdout, stderr } = await spawnUntilHandled(['fuzz', '--design', 'xen-map-for-dma', '--set', 'checkTarget=true', '--time', '120'], 'SIGTERM');
    expect(stderr).toContain('shadowcheck: SIGTERM: stopping after the current chunk of runs');
    expect(code).toBe(EXIT_SIGTERM);
    expect(stdout).toMatch(/verdicts as expected/);
  }, 60_000);
});
