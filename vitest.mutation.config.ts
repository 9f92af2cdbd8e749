import { defineConfig } from 'vitest/config';

/** The property suite of each slice (stryker.config.mjs sets MUTATION_SLICE to the slice it mutates). */
const PROPERTY_SUITES: Readonly<Record<string, readonly string[]>> = {
  core: ['properties/xenGt.test.ts'],
  rmrr: ['properties/rmrr.test.ts'],
  gpuShadow: ['properties/gpuShadow.test.ts'],
  virtio: ['properties/virtioGpu.test.ts'],
};

const slice = process.env.MUTATION_SLICE;

/**
 * The suites a mutant of the model's op code must survive (`npm run mutation`, Stryker): the slice's
 * property suite and the sound-design campaigns of its designs (all of them when MUTATION_SLICE is
 * unset). Unit tests are left out on purpose: the score measures what the invariants and campaigns
 * notice, not what hand-written assertions pin.
 */
export default defineConfig({
  test: {
    include: [...(slice === undefined ? Object.values(PROPERTY_SUITES).flat() : (PROPERTY_SUITES[slice] ?? [])), 'test/faults/mutation/**/*.mutation.ts'],
    testTimeout: 120_000,
    pool: 'forks',
  },
});
