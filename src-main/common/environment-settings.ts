/**
 * Every RFW_* environment variable the workbench reads, in one zod schema. Each shell's main
 * (and the benchmark's) reads them once at start, `readEnvironmentSettings(process.env)`, and
 * hands what it parsed on: the core gets WorkbenchOptions, each engine worker its EngineSettings
 * with its start (worker_threads' workerData), so no other code reads the environment. A value
 * that is not one the setting accepts stops the start with a message that names the variable and
 * what it accepts; a variable set to the empty string counts as not set.
 *
 * Pure: the defaults that depend on the machine (the home folder, the core count) are filled in
 * by whoever needs them (shells/workbench-options.ts, engine/kernels/native).
 */
import { z } from 'zod';
import { BackendName } from './backend-schemas';

/** Whole numbers as an environment variable spells them: digits only ("4", not "4.0" or " 4"). */
const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

/**
 * One entry per variable: the schema of its text, what it accepts (the error says so), and the
 * settings key it fills. The comment of each says what it is for, its default and why.
 */
const variables = {
  /**
   * Where the recent-projects list, the demo project and the browser shell's Chromium profile
   * live. Default: ~/.robust-features-workbench. Tests and scripted runs point it at a scratch
   * folder so that they leave the user's own recents alone.
   */
  RFW_HOME: { key: 'home', accepts: 'a folder path', schema: z.string() },
  /**
   * Forces one engine backend instead of the fallback chain tensorflow-gpu → tensorflow → wasm →
   * cpu (a forced backend that fails falls back to cpu only). Default: the chain. For measuring
   * one backend, or steering clear of a native addon that misbehaves.
   */
  RFW_BACKEND: {
    key: 'backend',
    accepts: `one of ${BackendName.options.join(', ')}`,
    schema: BackendName,
  },
  /**
   * Engine worker threads; attacks split over them (with results identical to one worker).
   * Default: one per core, at most 4 (beyond that memory grows faster than speed).
   */
  RFW_ENGINE_WORKERS: {
    key: 'engineWorkers',
    accepts: 'a whole number of workers from 1 to 64',
    schema: wholeNumber(1, 64),
  },
  /**
   * better-sqlite3's addon built for Electron's ABI; scripts/start.mjs sets it when it starts
   * Electron. Default: the addon built for Node (CLI, browser shell).
   */
  RFW_SQLITE_BINDING: {
    key: 'sqliteBinding',
    accepts: "the path of better-sqlite3's addon",
    schema: z.string(),
  },
  /**
   * 'off' runs the engine without the native CPU kernels (to measure without them, or to rule
   * them out); 'on' uses them where they load. Default: on.
   */
  RFW_NATIVE_KERNELS: {
    key: 'nativeKernels',
    accepts: 'on or off',
    schema: z.enum(['on', 'off']),
  },
  /**
   * Threads per engine worker for the native kernels, overriding what the job runner asks for
   * (for measuring). Default: every core for a job alone on its worker, a share of them for
   * each shard of a split job (core/engine-pool.ts).
   */
  RFW_KERNEL_THREADS: {
    key: 'kernelThreads',
    accepts: 'a whole number of threads from 1 to 1024',
    schema: wholeNumber(1, 1024),
  },
  /**
   * The browser shell's port (its --port option wins). Default: 0, any free port; a fixed one
   * keeps the address stable across restarts, e.g. behind an SSH tunnel.
   */
  RFW_PORT: {
    key: 'port',
    accepts: 'a port number from 0 to 65535',
    schema: wholeNumber(0, 65_535),
  },
} as const;

export type EnvironmentVariable = keyof typeof variables;
export const environmentVariables = Object.keys(variables) as EnvironmentVariable[];

/** The settings, parsed; null: not set, the default applies. */
export const EnvironmentSettings = z.object({
  home: z.string().nullable(),
  backend: BackendName.nullable(),
  engineWorkers: z.number().int().min(1).max(64).nullable(),
  sqliteBinding: z.string().nullable(),
  nativeKernels: z.enum(['on', 'off']),
  kernelThreads: z.number().int().min(1).max(1024).nullable(),
  port: z.number().int().min(0).max(65_535).nullable(),
});
export type EnvironmentSettings = z.infer<typeof EnvironmentSettings>;

/** What each engine worker is started with: the settings that concern the engine. */
export const EngineSettings = EnvironmentSettings.pick({
  nativeKernels: true,
  kernelThreads: true,
});
export type EngineSettings = z.infer<typeof EngineSettings>;

/** The part of the settings each engine worker is started with. */
export function engineSettingsOf(settings: EnvironmentSettings): EngineSettings {
  return { nativeKernels: settings.nativeKernels, kernelThreads: settings.kernelThreads };
}

/** The engine settings of an empty environment. */
export const defaultEngineSettings: EngineSettings = { nativeKernels: 'on', kernelThreads: null };

/** A start refused because of the environment: every bad variable, one per line. */
export class EnvironmentSettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(
      problems.length === 1
        ? (problems[0] ?? '')
        : `the environment has ${problems.length} bad settings:\n${problems.join('\n')}`,
    );
    this.name = 'EnvironmentSettingsError';
  }
}

/** A value as the error quotes it: long ones cut, so that the message stays one line. */
function quoted(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  return JSON.stringify(shown);
}

/**
 * Parses every RFW_* variable of `env`. Throws an EnvironmentSettingsError naming each bad one,
 * e.g. `RFW_KERNEL_THREADS="abc" is not valid: use a whole number of threads from 1 to 1024, or
 * leave it unset`.
 */
export function readEnvironmentSettings(
  env: Readonly<Record<string, string | undefined>>,
): EnvironmentSettings {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const name of environmentVariables) {
    const variable = variables[name];
    const text = env[name];
    if (text === undefined || text === '') {
      values[variable.key] = variable.key === 'nativeKernels' ? 'on' : null;
      continue;
    }
    const parsed = variable.schema.safeParse(text);
    if (parsed.success) values[variable.key] = parsed.data;
    else
      problems.push(
        `${name}=${quoted(text)} is not valid: use ${variable.accepts}, or leave it unset`,
      );
  }
  if (problems.length > 0) throw new EnvironmentSettingsError(problems);
  return EnvironmentSettings.parse(values);
}

/** The settings of an environment where no RFW_* variable is set. */
export function defaultEnvironmentSettings(): EnvironmentSettings {
  return readEnvironmentSettings({});
}
