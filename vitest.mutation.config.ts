import { defineConfig } from 'vitest/config';

/**
 * The suites a mutant of the model's op code must survive (`npm run mutation`, Stryker): the property
 * suites of each slice and the sound-design campaigns. Unit tests are left out on purpose: the score
 * measures what the invariants and campaigns notice, not what hand-written assertions pin.
 */
export default defineConfig({
  test: {
    include: ['properties/xenGt.test.ts', 'properties/rmrr.test.ts', 'properties/gpuShadow.test.ts', 'properties/virtioGpu.test.ts', 'test/faults/mutation/**/*.mutation.ts'],
    testTimeout: 120_000,
    pool: 'forks',
  },
});
