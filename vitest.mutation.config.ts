import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** The slices `npm run mutation` mutates (stryker.config.mjs sets MUTATION_SLICE to the one it runs). */
const SLICES = ['core', 'rmrr', 'gpuShadow', 'virtio', 'ioasid'] as const;

const slice = process.env.MUTATION_SLICE;
if (slice !== undefined && !(SLICES as readonly string[]).includes(slice)) throw new Error(`MUTATION_SLICE must be one of ${SLICES.join(', ')}`);

/**
 * Unit tests first, the kill suite's campaigns last: Stryker stops at a mutant's first failing test,
 * and a unit test that names the broken errno fails in milliseconds where a campaign takes a second.
 * (Vitest's default order runs the slowest files first.)
 */
class UnitTestsFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const campaign = (f: TestSpecification) => (f.moduleId.endsWith('.kill.test.ts') ? 1 : 0);
    return [...files].sort((a, b) => campaign(a) - campaign(b) || a.moduleId.localeCompare(b.moduleId));
  }
}

/**
 * What a mutant of a slice's op code must survive (`npm run mutation`, Stryker): the slice's kill suite
 * (test/mutation/<slice>.kill.test.ts: small fixed-seed campaigns of its designs with every invariant
 * they are meant to hold, fail_nth, perturbed replay, ops that stop succeeding), the slice's unit
 * tests (test/model/<slice>/: each op's errnos, refusals, and the hypervisor behaviour they name), and
 * the tests written for earlier survivors (test/mutation/<slice>/, docs/mutation.md).
 * Every slice when MUTATION_SLICE is unset. Stryker's per-test coverage then runs, for one mutant,
 * only the tests that execute its line, and stops at the first failure.
 */
export default defineConfig({
  test: {
    include: (slice === undefined ? SLICES : [slice]).flatMap((s) => [`test/mutation/${s}.kill.test.ts`, `test/mutation/${s}/**/*.test.ts`, `test/model/${s}/**/*.test.ts`]),
    testTimeout: 120_000,
    // One mutant is switched on and off at run time (Stryker's instrumented code), so test files can share
    // one module graph: importing the model again for every file of every mutant run is most of its cost.
    isolate: false,
    sequence: { sequencer: UnitTestsFirst },
  },
});
