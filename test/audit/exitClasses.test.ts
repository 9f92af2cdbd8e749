import { describe, expect, it } from 'vitest';
import { EXIT_HARNESS, EXIT_USAGE } from '../../src/cli/exitCodes.ts';
import { outputProblem } from '../../src/trace/schemas/outputSchemas.ts';
import { runCli } from '../helpers/cli.ts';

describe('audit exit classes', () => {
  it('a design file whose op throws in apply: the harness-error code, the op, its arguments and the step, once', async () => {
    const r = await runCli(['audit', 'test/fixtures/designs/throwsInApply.ts', '--runs', '100', '--corpus', 'test/fixtures/designs']);
    expect(r.code).toBe(EXIT_HARNESS);
    const joined = r.out.replace(/\n {4,}/g, ' ');
    expect(joined.split('\n')[0]).toMatch(/^1 harness error \(verdicts inconclusive\)/);
    expect(joined).toMatch(/harness error — throws-in-apply \(candidate\): apply of grantAccess granter=\d+ ref=\d+ grantee=\d+ gfn=\d+ readonly=(true|false) threw at step 2: grant table already in use \(at .*test\/fixtures\/designs\/throwsInApply\.ts:\d+:\d+\)/);
    expect(joined.match(/harness error —/g)).toHaveLength(1);
    expect(joined).not.toContain('violated in the initial state');
    expect(joined).toMatch(/\n {3}2\. grantAccess .*→ threw in apply/);
  });

  it('a throw in resolve names the op and the step it would have been, never the initial state', async () => {
    const r = await runCli(['audit', 'test/fixtures/designs/throwsInResolve.ts', '--runs', '100', '--json', '--corpus', 'test/fixtures/designs']);
    expect(r.code).toBe(EXIT_HARNESS);
    const doc = JSON.parse(r.out);
    expect(outputProblem(doc)).toBeUndefined();
    expect(doc.errors).toHaveLength(1);
    expect(doc.errors[0]).toMatchObject({ side: 'candidate', phase: 'resolve', op: 'decreaseReservation', step: 1, message: 'no balloon driver' });
    expect(doc.errors[0].stackTop).toMatch(/throwsInResolve\.ts:\d+:\d+/);
    // Every row is the error, except an invariant both sides break by a trace that never drew the
    // throwing op (xen-map-for-dma's expected level-3 break can be found first).
    const rows = doc.rows as { invariant: string; change: string; errors?: number[] }[];
    for (const row of rows) {
      if (row.change === 'error') expect(row.errors?.[0]).toBe(0);
      else expect([row.invariant, row.change]).toEqual(['level-3-only-what-was-given', 'unchanged']);
    }
    expect(rows.filter((row) => row.change === 'error').length).toBeGreaterThanOrEqual(rows.length - 1);
  });

  it('a malformed design file (a fractional op weight): exit 2, one line naming the file and the field', async () => {
    const r = await runCli(['audit', 'test/fixtures/designs/fractionalWeight.ts', '--runs', '10']);
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.err).toBe('shadowcheck: test/fixtures/designs/fractionalWeight.ts: export default.ops[4].weight: must be a non-negative integer (relative frequency), got 2.5');
    expect(r.out).toBe('');
  });
});
