/**
 * Options every shell derives the same way from the environment settings it read at start
 * (common/environment-settings.ts, where each RFW_* variable is described), with the defaults
 * that depend on the machine: the home folder and the core count.
 */
import { availableParallelism, homedir } from 'node:os';
import { join } from 'node:path';
import { engineSettingsOf, type EnvironmentSettings } from '../common/environment-settings';
import type { WorkbenchOptions } from '../core/workbench';

/** One engine worker per core, at most 4 (beyond that memory grows faster than speed). */
export function defaultEngineWorkers(): number {
  return Math.min(4, availableParallelism());
}

export function workbenchOptions(
  shell: WorkbenchOptions['shell'],
  mainDir: string,
  settings: EnvironmentSettings,
  version: string,
): WorkbenchOptions {
  return {
    engineWorkers: settings.engineWorkers ?? defaultEngineWorkers(),
    homeDir: settings.home ?? join(homedir(), '.robust-features-workbench'),
    engineWorkerPath: join(mainDir, 'engine-worker.js'),
    forcedBackend: settings.backend,
    engineSettings: engineSettingsOf(settings),
    shell,
    version,
    sqliteNativeBinding: settings.sqliteBinding,
  };
}
