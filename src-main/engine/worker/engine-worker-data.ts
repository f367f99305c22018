/**
 * What an engine worker is started with (worker_threads' workerData): the engine settings the
 * shell parsed from the environment at start (common/environment-settings.ts). The worker reads
 * them from here, never from process.env, and checks them like any message it gets.
 */
import { z } from 'zod';
import { defaultEngineSettings, EngineSettings } from '../../common/environment-settings';

export const EngineWorkerData = z.object({ settings: EngineSettings });
export type EngineWorkerData = z.infer<typeof EngineWorkerData>;

/** The worker's settings; a worker started without any (a test's) gets the defaults. */
export function readEngineWorkerData(workerData: unknown): EngineSettings {
  if (workerData === undefined || workerData === null) return defaultEngineSettings;
  const parsed = EngineWorkerData.safeParse(workerData);
  if (!parsed.success) {
    throw new Error(
      `the engine worker was started with settings it cannot read: ${parsed.error.message}`,
    );
  }
  return parsed.data.settings;
}
