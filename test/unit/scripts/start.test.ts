/**
 * `npm start` where Electron's binary is missing (as on this offline machine): one clear line
 * saying so, then the browser shell on a 127.0.0.1 URL with a token. Needs the build (`npm test`
 * builds first). Where the binary exists this test does not apply and says why.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const electronInstalled = existsSync(resolve('node_modules/electron/path.txt'));

describe('npm start without Electron', () => {
  it.skipIf(electronInstalled)(
    'says so in one line and serves the UI from the browser shell',
    async () => {
      if (!existsSync(resolve('out/main/browser-shell.js')))
        throw new Error('run `npm run build` first');
      const child = spawn(process.execPath, ['scripts/start.mjs', '--no-open'], {
        env: { ...process.env, RFW_HOME: mkdtempSync(join(tmpdir(), 'rfw-start-')) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      try {
        const started = Date.now();
        while (!/token=[0-9a-f]+/.test(output)) {
          if (Date.now() - started > 30_000) throw new Error(`no URL in 30 s:\n${output}`);
          await new Promise((r) => setTimeout(r, 100));
        }
        const lines = output.trim().split('\n');
        expect(lines[0]).toMatch(
          /^Electron's binary is not installed .* so the workbench opens from the browser shell instead\.$/,
        );
        const url = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(output)?.[1] ?? '';
        const page = await fetch(url);
        expect(page.status).toBe(200);
        expect(await page.text()).toContain('<div id="app">');
        expect((await fetch(url.replace(/\?token=.*/, ''))).status).toBe(403);
      } finally {
        child.kill('SIGTERM');
      }
    },
  );
});
