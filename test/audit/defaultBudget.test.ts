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

  // Seeds 1-20 all pass at the default (npx tsx src/audit/measureBudget.ts); the test re-checks the worst one, seed 16, to stay fast.
  it('finds the measured worst case (ioasid-fd attachCheck=any-fd · pasid-confined-to-fd, 1,727 runs from seed 16) within the default', () => {
    const [worst] = expectedViolations([findDesign('ioasid-fd')!]).filter((v) => v.invariant === 'pasid-confined-to-fd' && v.settings.join() === 'attachCheck=any-fd');
    expect(worst.knobs).toEqual({ ...knobDefaults(worst.design), attachCheck: 'any-fd' });
    const at = firstFailingRun(worst, 16, AUDIT_DEFAULT_RUNS, DEFAULT_SCOPE);
    expect(at).toBeDefined();
    // fuzz's 1,000 would miss it: the reason audit's default is larger.
    expect(at).toBeGreaterThan(1000);
  });
});
