import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'properties/**/*.test.ts'],
    // The mutation kill suites run under Stryker (vitest.mutation.config.ts, `npm run mutation`), not in npm test.
    exclude: ['**/node_modules/**', '**/.git/**', 'test/mutation/*.kill.test.ts'],
    // Property suites run fixed seeds and run counts; a generous per-test ceiling only guards against hangs.
    testTimeout: 120_000,
    pool: 'forks',
  },
});
