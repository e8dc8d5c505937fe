import { defineConfig } from 'vitest/config';

/** The benchmark's own unit tests: `npx vitest run --config bench/vitest.config.ts`. */
export default defineConfig({
  test: {
    include: ['bench/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    pool: 'forks',
  },
});
