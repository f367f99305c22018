import { defineConfig } from '@playwright/test';

// Debian's Chromium: Playwright's own browser download cannot work on offline machines.
export const chromiumPath = process.env['RFW_CHROMIUM'] ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'test/e2e',
  timeout: 15 * 60_000,
  expect: { timeout: 30_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results/playwright',
  use: {
    viewport: { width: 1280, height: 800 },
    // A click on an element that never appears fails within a minute instead of holding the
    // whole suite until the 15-minute test timeout.
    actionTimeout: 60_000,
    launchOptions: {
      executablePath: chromiumPath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
    trace: 'retain-on-failure',
  },
});
