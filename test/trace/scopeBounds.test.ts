import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayEntry } from '../../src/trace/replay.ts';
import { runCli } from '../helpers/cli.ts';
import { raceEntry, tempDir } from '../helpers/entries.ts';

describe('entry scopes out of bounds', () => {
  it('a scope within the schema that the design cannot build a world in is bad input naming /scope, not a harness error', () => {
    const e = raceEntry();
    const r = replayEntry({ ...e, scope: { ...e.scope, frames: 1 } });
    expect(r.status).toBe('bad-input');
    expect(r.reason).toMatch(/^\/scope: xen-translate-gpfn cannot build a world with frames 1: /);
  });

  it('replay refuses scope.frames = 1e8 at once (no world built), names the file, and still replays the good entry beside it', async () => {
    const dir = tempDir();
    const good = raceEntry();
    writeFileSync(join(dir, 'good.json'), JSON.stringify(good));
    writeFileSync(join(dir, 'huge.json'), JSON.stringify({ ...good, scope: { ...good.scope, frames: 1e8 } }));
    const r = await runCli(['replay', dir, '--json']);
    const report = JSON.parse(r.out) as { entries: { file: string; status: string; reason: string }[] };
    expect(report.entries).toEqual([
      expect.objectContaining({ file: join(dir, 'good.json'), status: 'reproduced' }),
      expect.objectContaining({ file: join(dir, 'huge.json'), status: 'bad-input', reason: '/scope/frames: must be <= 4096' }),
    ]);
    expect(r.code).toBe(2);
  });
});
