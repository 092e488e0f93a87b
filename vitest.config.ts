import { defineConfig } from 'vitest/config';

// Guest programs run as child processes of the compiled CLI; give them time on a 2-core machine.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2 } },
  },
});
