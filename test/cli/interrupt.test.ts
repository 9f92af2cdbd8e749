import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnUntilHandled } from '../helpers/spawnUntilHandled.ts';
import { INTERRUPTED_EXIT, withInterrupt } from '../../src/cli/interrupt.ts';
import { replayFile } from '../../src/trace/replay.ts';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/entries.ts';

describe('withInterrupt', () => {
  it('turns the first SIGINT into a stop request and removes its handler afterwards', async () => {
    const before = process.listenerCount('SIGINT');
    const said: string[] = [];
    const seen = await withInterrupt(async (stopRequested) => {
      expect(stopRequested()).toBe(false);
      process.emit('SIGINT');
      return stopRequested();
    }, (s) => void said.push(s));
    expect(seen).toBe(true);
    expect(said.join('')).toMatch(/stopping after the current chunk of runs/);
    expect(process.listenerCount('SIGINT')).toBe(before);
  });
});

describe('Ctrl-C during fuzz', () => {
  it('ends the running campaign after its running chunks, saves what it found, prints the report, skips the rest, exits 130', async () => {
    const corpus = tempDir();
    // Fires at the campaign's first turn of the event loop, after the handler is installed.
    setTimeout(() => process.emit('SIGINT'), 0);
    // One worker: with more, the next campaigns' first chunks are already running when the signal comes.
    const r = await runCli(['fuzz', '--design', 'xen-translate-gpfn', '--design', 'xen-map-for-dma', '--no-variants', '--runs', '300', '--save', '--corpus', corpus, '--workers', '1']);
    expect(r.code).toBe(INTERRUPTED_EXIT);
    expect(r.out).toMatch(/interrupted: not run — xen-map-for-dma$/m);
    expect(r.out).toMatch(/^ {2}(ok|UNEXPECTED) {2}xen-translate-gpfn: /m);
    const saved = readdirSync(join(corpus, 'xen-translate-gpfn'));
    expect(saved.length).toBeGreaterThan(0);
    for (const f of saved) expect(replayFile(join(corpus, 'xen-translate-gpfn', f)).status).toBe('reproduced');
  });

  it('a real SIGINT stops a time-budgeted campaign cleanly (the event loop gets its turn between chunks)', async () => {
    // The signal goes once the CLI has installed its handler (a guessed delay can be outlasted on a loaded machine).
    const { code, stdout, stderr } = await spawnUntilHandled(['fuzz', '--design', 'xen-map-for-dma', '--set', 'checkTarget=true', '--time', '120'], 'SIGINT');
    expect(stderr).toContain('stopping after the current chunk of runs');
    expect(code).toBe(INTERRUPTED_EXIT);
    // The line wraps at 80 columns since it also names the level xen-map-for-dma breaks as expected.
    expect(stdout.replace(/\n {6}/g, ' ')).toMatch(/^ {2}ok {2}xen-map-for-dma: \d+ hold.* \(interrupted\)$/m);
    expect(stdout).toMatch(/all \d+ verdicts as expected/);
  }, 60_000);
});
