import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Three builds. "main" holds every Node-side entry: the Electron main process, the browser
// shell, the CLI and the engine worker (worker_threads needs its own file). Dependencies stay
// external (electron-vite's default) so native addons and the tfjs wasm binaries load from
// node_modules at run time.
export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          'electron-main': resolve('src-main/shells/electron/electron-main.ts'),
          'browser-shell': resolve('src-main/shells/browser/browser-shell-main.ts'),
          cli: resolve('src-main/shells/cli/cli-main.ts'),
          'engine-worker': resolve('src-main/engine/worker/engine-worker.ts'),
          bench: resolve('bench/bench-main.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { preload: resolve('src-main/shells/electron/preload.ts') },
      },
    },
  },
  renderer: {
    root: 'src-renderer',
    build: {
      rollupOptions: { input: resolve('src-renderer/index.html') },
    },
    resolve: { alias: { '@common': resolve('src-main/common') } },
    plugins: [svelte()],
  },
});
