import { describe, expect, it } from 'vitest';
import { progressEnabled, progressLine, progressText } from '../../src/cli/progress.ts';

describe('progressEnabled', () => {
  it.each([
    [{}, true, true, true],
    [{ CI: 'true' }, true, true, false],
    [{ CI: '1' }, true, true, false],
    [{ CI: 'false' }, true, true, true],
    [{ CI: '' }, true, true, true],
    [{}, false, true, false],
    [{}, true, false, false],
  ])('env %j, stdout tty %s, stderr tty %s → %s', (env, out, err, want) => {
    expect(progressEnabled(env as NodeJS.ProcessEnv, out, err)).toBe(want);
  });
});

describe('progress line', () => {
  it('says runs, steps per second and violations so far', () => {
    expect(progressText('xen-map-for-dma', { runs: 1250, steps: 60000, elapsedMs: 1500 }, 2)).toBe('xen-map-for-dma: 1,250 runs, 40,000 steps/s, 2 violations found so far');
    expect(progressText('auditing x', { runs: 50, steps: 0, elapsedMs: 0 })).toBe('auditing x: 50 runs, 0 steps/s');
  });

  it('redraws in place and clears itself; draws nothing when disabled', () => {
    const written: string[] = [];
    const line = progressLine(true, (s) => void written.push(s));
    line.update('a');
    line.update('b');
    line.clear();
    line.clear();
    expect(written).toEqual(['\r\x1b[Ka', '\r\x1b[Kb', '\r\x1b[K']);
    const quiet: string[] = [];
    const off = progressLine(false, (s) => void quiet.push(s));
    off.update('a');
    off.clear();
    expect(quiet).toEqual([]);
  });
});

describe('progress on every budget', () => {
  it('keeps the line to one terminal row', () => {
    const written: string[] = [];
    progressLine(true, (s) => void written.push(s), 20).update('x'.repeat(50));
    expect(written[0]).toBe(`\r\x1b[K${'x'.repeat(18)}…`);
  });

  it('a run budget reports progress during each campaign, naming it and its place in the run', async () => {
    const { parseFuzzArgs, runFuzz } = await import('../../src/cli/fuzzCommand.ts');
    const seen: [string, number][] = [];
    // Two campaigns, one per design (xen-map-for-dma's many knob variants left out).
    await runFuzz(parseFuzzArgs(['--design', 'xen-translate-gpfn', '--design', 'xen-map-for-dma', '--no-variants', '--invariant', 'no-foreign-reach', '--runs', '120']), {
      onCampaignStart: (name) => void seen.push([name, -1]),
      onProgress: (name, p) => void seen.push([name, p.runs]),
    });
    expect(seen[0]).toEqual(['[1/2] xen-translate-gpfn', -1]);
    expect(seen).toContainEqual(['[2/2] xen-map-for-dma', 100]);
    expect(seen.some(([name]) => name === '[2/2] xen-map-for-dma')).toBe(true);
  });
});
