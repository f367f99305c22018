/**
 * The Electron shell end to end, through Playwright's _electron. Runs only where Electron's binary
 * is installed; elsewhere (offline machines, where its download fails) it is skipped with the
 * reason printed. The browser-shell tests cover the same UI in Chromium.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';

function electronBinary(): string | null {
  const pathFile = resolve('node_modules/electron/path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = resolve('node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

test('the Electron app opens the demo project in a sandboxed window', async () => {
  const binary = electronBinary();
  if (!binary) {
    console.log(
      "skipped: Electron's binary is not installed here (node_modules/electron/dist is missing; its download needs the internet)",
    );
  }
  test.skip(!binary, "Electron's binary is not installed on this machine");
  const home = mkdtempSync(join(tmpdir(), 'rfw-electron-'));
  const app = await electron.launch({
    executablePath: binary ?? undefined,
    args: ['.'],
    env: { ...process.env, RFW_HOME: home },
  });
  const window = await app.firstWindow();
  // The preload exposes the contract, and nothing of Node.
  expect(
    await window.evaluate(() => typeof (window as unknown as { workbench: unknown }).workbench),
  ).toBe('object');
  expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
    'undefined',
  );
  await window.getByRole('button', { name: /open demo project/i }).click();
  await expect(window.getByText(/MNIST/).first()).toBeVisible();
  await window.screenshot({ path: 'test-results/screenshots/electron-demo.png' });
  await app.close();
});
