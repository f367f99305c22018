/**
 * `node out/main/browser-shell.js [--port N] [--no-open]`: the workbench without Electron. Serves
 * the UI on 127.0.0.1 with a per-launch token, prints the URL, and opens Chromium in app mode if
 * one is installed (unless --no-open).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { readEnvironmentSettings } from '../../common/environment-settings';
import { Workbench } from '../../core/workbench';
import { workbenchOptions } from '../workbench-options';
import { startBrowserShell } from './browser-server';
import { appVersion } from '../app-version';

const chromiumCandidates = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
];

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

function openInChromium(url: string, homeDir: string): void {
  const chromium = chromiumCandidates.find((candidate) => existsSync(candidate));
  if (!chromium) {
    console.log('No Chromium found: open the URL above in your browser.');
    return;
  }
  const profile = join(homeDir, 'chromium-profile');
  mkdirSync(profile, { recursive: true });
  const child = spawn(
    chromium,
    [
      `--app=${url}`,
      `--user-data-dir=${profile}`,
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    { stdio: 'ignore', detached: true },
  );
  child.on('error', (error) =>
    console.log(`Could not open Chromium (${error.message}): open the URL above.`),
  );
  child.unref();
}

async function main(): Promise<void> {
  const settings = readEnvironmentSettings(process.env);
  const options = workbenchOptions('browser', __dirname, settings, appVersion);
  const workbench = new Workbench(options);
  workbench.warmUp();
  const port = Number(argument('--port') ?? settings.port ?? 0);
  const shell = await startBrowserShell(workbench, join(__dirname, '..', 'renderer'), port);
  console.log(`Robust Features Workbench (browser shell): ${shell.url}`);
  if (!process.argv.includes('--no-open')) openInChromium(shell.url, options.homeDir);

  const stop = async () => {
    await shell.close();
    await workbench.dispose();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
