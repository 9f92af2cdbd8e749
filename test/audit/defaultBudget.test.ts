import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AUDIT_DEFAULT_RUNS } from '../../src/audit/defaultBudget.ts';
import { expectedViolations, firstFailingRun } from '../../src/audit/budgetProbe.ts';
import { DESIGNS, findDesign } from '../../src/model/designs.ts';
import { DEFAULT_SCOPE } from '../../src/model/core/scope.ts';
import { knobDefaults } from '../../src/model/core/design.ts';

const VARIANTS = 'test/fixtures/designs/variants';

describe("audit's default budget", () => {
  it('every shipped knob variant has its knob file, so the measurement covers them as proposals', () => {
    const files = readdirSync(VARIANTS).map((f) => JSON.parse(readFileSync(`${VARIANTS}/${f}`, 'utf8')) as { baseline: string; knobs: Record<string, unknown> });
    const have = new Set(files.map((f) => `${f.baseline} ${JSON.stringify(f.knobs)}`));
    for (const d of DESIGNS) for (const v of d.variants ?? []) expect(have).toContain(`${d.id} ${JSON.stringify(v)}`);
    for (const f of files) expect(findDesign(f.baseline)).toBeDefined();
  });

  // Seeds 1-20 all pass at the default (npx tsx src/audit/measureBudget.ts). The former worst case, ioasid-fd
  // attachCheck=any-fd · pasid-confined-to-fd (1,727 runs from seed 16), is found by run 26 since P2's guest
  // has a GVA space of its own; the IOASID designs' worst is now groupPolicy=per-device · dma-only-own-memory,
  // 920 runs from seed 11. The test re-checks that one, to stay fast; the global worst is to be re-measured.
  it('finds the IOASID designs\' measured worst case (ioasid-fd groupPolicy=per-device · dma-only-own-memory, 920 runs from seed 11) within the default', () => {
    const [worst] = expectedViolations([findDesign('ioasid-fd')!]).filter((v) => v.invariant === 'dma-only-own-memory' && v.settings.join() === 'groupPolicy=per-device');
    expect(worst.knobs).toEqual({ ...knobDefaults(worst.design), groupPolicy: 'per-device' });
    const at = firstFailingRun(worst, 11, AUDIT_DEFAULT_RUNS, DEFAULT_SCOPE);
    expect(at).toBe(920);
  });
});
