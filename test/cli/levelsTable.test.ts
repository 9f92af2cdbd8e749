/**
 * The level table as the CLI prints it: `fuzz --levels` runs the adversary × placement matrix and
 * prints Tim Deegan's four levels first; `--json` carries them under `levels`, valid against the fuzz
 * schema; `--adversary` takes only adversary knob settings.
 */
import { describe, expect, it } from 'vitest';
import { outputProblem } from '../../src/trace/schemas/outputSchemas.ts';
import { LEVEL_MATRIX } from '../../src/cli/levelTable.ts';
import { runCli } from '../helpers/cli.ts';

describe('fuzz --levels', () => {
  it('prints one row per adversary setting and placement, levels first, and exits 0 when all are as expected', async () => {
    const r = await runCli(['fuzz', '--levels', '--design', 'xen-map-for-dma', '--runs', '300', '--step-timeout', '0']);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    const head = lines.findIndex((l) => l.startsWith("Tim Deegan's isolation levels"));
    expect(head).toBe(3);
    const rows = lines.slice(head + 2, head + 2 + LEVEL_MATRIX.length);
    expect(rows).toHaveLength(6);
    const row = (compromised: string, placement: string) => rows.find((l) => l.includes(` ${compromised} `) && l.includes(placement))!;
    // The thread's answer for map-for-DMA: 0 and 1 enforced by Xen against a lying backend; 2 and 3 not.
    expect(row('backend', 'device-model')).toMatch(/held\s+held\s+BROKEN \d\s+BROKEN \d$/);
    expect(row('backend', 'control-domain')).toMatch(/held\s+BROKEN 1\s+BROKEN \d\s+BROKEN \d$/);
    expect(row('none', 'device-model')).toMatch(/held\s+held\s+held\s+BROKEN \d$/);
  });

  it('--json carries the table, valid against the schema', async () => {
    const r = await runCli(['fuzz', '--levels', '--design', 'xengt-grant', '--runs', '200', '--step-timeout', '0', '--json']);
    const doc = JSON.parse(r.out) as { levels: { compromised: string; placement: string; levels: { verdict: string }[] }[] };
    expect(outputProblem(doc)).toBeUndefined();
    expect(doc.levels).toHaveLength(6);
    const correct = doc.levels.find((l) => l.compromised === 'none' && l.placement === 'device-model')!;
    expect(correct.levels.map((c) => c.verdict)).toEqual(['held', 'held', 'held', 'held']);
  });
});

describe('fuzz --adversary', () => {
  it('sets the adversary knob of every XenGT design', async () => {
    const r = await runCli(['fuzz', '--design', 'xen-translate-gpfn', '--adversary', 'backend=compromised', '--invariant', 'level-0-xen-protected', '--runs', '200', '--step-timeout', '0']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('xen-translate-gpfn [backend=compromised]');
  });

  it('refuses anything else in one line naming the valid settings', async () => {
    const r = await runCli(['fuzz', '--adversary', 'backend=evil']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--adversary takes one of backend=correct\|compromised, .* not 'backend=evil'/);
  });
});
