/**
 * Options every shell derives the same way, read when a shell starts (never at import time).
 * RFW_HOME: where recents and the demo project live. RFW_BACKEND: force one engine backend.
 * RFW_ENGINE_WORKERS: engine worker threads (default: one per core, at most 4).
 * RFW_SQLITE_BINDING: better-sqlite3's addon built for Electron (set by scripts/start.mjs).
 */
import { availableParallelism, homedir } from 'node:os';
import { join } from 'node:path';
import { BackendName } from '../common/schemas';
import type { WorkbenchOptions } from '../core/workbench';

/** One engine worker per core, at most 4 (beyond that memory grows faster than speed). */
export function defaultEngineWorkers(): number {
  return Math.min(4, availableParallelism());
}

export function workbenchOptions(
  shell: WorkbenchOptions['shell'],
  mainDir: string,
  env: NodeJS.ProcessEnv,
  version: string,
): WorkbenchOptions {
  const forced = env['RFW_BACKEND'];
  let forcedBackend: BackendName | null = null;
  if (forced) {
    const parsed = BackendName.safeParse(forced);
    if (!parsed.success) {
      throw new Error(
        `RFW_BACKEND=${forced} is not a backend; use one of ${BackendName.options.join(', ')}`,
      );
    }
    forcedBackend = parsed.data;
  }
  const workersText = env['RFW_ENGINE_WORKERS'];
  const engineWorkers = workersText === undefined ? defaultEngineWorkers() : Number(workersText);
  if (!Number.isInteger(engineWorkers) || engineWorkers < 1 || engineWorkers > 64) {
    throw new Error(`RFW_ENGINE_WORKERS=${workersText ?? ''} must be a whole number from 1 to 64`);
  }
  return {
    engineWorkers,
    homeDir: env['RFW_HOME'] ?? join(homedir(), '.robust-features-workbench'),
    engineWorkerPath: join(mainDir, 'engine-worker.js'),
    forcedBackend,
    shell,
    version,
    sqliteNativeBinding: env['RFW_SQLITE_BINDING'] ?? null,
  };
}
