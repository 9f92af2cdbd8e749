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

  it('finds the measured worst case (xen-translate-gpfn · no-xen-frame-reach, 1,004 runs from seed 19) from every seed 1-20', () => {
    const [worst] = expectedViolations([findDesign('xen-translate-gpfn')!], false).filter((v) => v.invariant === 'no-xen-frame-reach');
    expect(worst.knobs).toEqual(knobDefaults(worst.design));
    const at = Array.from({ length: 20 }, (_, i) => firstFailingRun(worst, i + 1, AUDIT_DEFAULT_RUNS, DEFAULT_SCOPE));
    expect(at.every((n) => n !== undefined)).toBe(true);
    // fuzz's 1,000 would miss it from seed 19: the reason audit's default is larger.
    expect(Math.max(...(at as number[]))).toBeGreaterThan(1000);
  });
});
