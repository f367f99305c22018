import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/unit/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Engine tests are CPU-bound; two files at a time match this machine's two cores.
    maxWorkers: 2,
  },
});
