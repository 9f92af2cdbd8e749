import { describe, expect, it } from 'vitest';
import { evidenceLines } from '../../src/audit/auditReport.ts';

describe('evidenceLines', () => {
  it('a harness error with no trace (a stalled step) shows its message, not "0 actions"', () => {
    const lines = evidenceLines({ from: 'fuzz', trace: [], step: -1, violations: [], message: 'op shadowSet(client=1) did not return' });
    expect(lines.join('\n')).not.toContain('0 actions');
    expect(lines).toContain('  error: op shadowSet(client=1) did not return');
  });

  it('counts one action in the singular', () => {
    const lines = evidenceLines({ from: 'fuzz', trace: [{ action: { op: 'populatePhysmap', dom: 1, gfn: 0, mfn: 4 }, result: { ok: true } }], step: 0, violations: [] });
    expect(lines[0]).toBe('  1 action, shrunk by the fuzzer:');
  });
});
