import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The renderer's form state (.svelte.ts, runes) compiles as in the app, so that a test can
  // read a form's initial values (test/unit/shells/cli/cli-defaults.test.ts).
  plugins: [svelte()],
  resolve: { alias: { '@common': resolve('src-main/common') } },
  test: {
    environment: 'node',
    include: ['test/unit/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Engine tests are CPU-bound; two files at a time match this machine's two cores.
    maxWorkers: 2,
  },
});
