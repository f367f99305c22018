/**
 * Options every shell derives the same way, read when a shell starts (never at import time).
 * RFW_HOME: where recents and the demo project live. RFW_BACKEND: force one engine backend.
 * RFW_SQLITE_BINDING: better-sqlite3's addon built for Electron (set by scripts/start.mjs).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { BackendName } from '../common/schemas';
import type { WorkbenchOptions } from '../core/workbench';

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
  return {
    homeDir: env['RFW_HOME'] ?? join(homedir(), '.robust-features-workbench'),
    engineWorkerPath: join(mainDir, 'engine-worker.js'),
    forcedBackend,
    shell,
    version,
    sqliteNativeBinding: env['RFW_SQLITE_BINDING'] ?? null,
  };
}
