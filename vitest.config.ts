import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'properties/**/*.test.ts'],
    // Property suites run fixed seeds and run counts; a generous per-test ceiling only guards against hangs.
    testTimeout: 120_000,
    pool: 'forks',
  },
});
