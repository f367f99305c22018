/**
 * The one reader of the RFW_* environment variables (common/environment-settings.ts): what each
 * accepts, that empty means unset, and that a bad value is an error naming the variable and what
 * it accepts instead of being ignored (RFW_KERNEL_THREADS=abc used to fall back silently).
 */
import { describe, expect, it } from 'vitest';
import {
  EnvironmentSettingsError,
  environmentVariables,
  readEnvironmentSettings,
} from '../../../src-main/common/environment-settings';
import { workbenchOptions } from '../../../src-main/shells/workbench-options';

describe('environment settings', () => {
  it('reads an environment without RFW_* variables as the defaults', () => {
    expect(readEnvironmentSettings({ PATH: '/usr/bin', RFW_UNRELATED: 'x' })).toEqual({
      home: null,
      backend: null,
      engineWorkers: null,
      sqliteBinding: null,
      nativeKernels: 'on',
      kernelThreads: null,
      port: null,
    });
  });

  it('reads every variable it knows', () => {
    expect(
      readEnvironmentSettings({
        RFW_HOME: '/tmp/rfw home',
        RFW_BACKEND: 'cpu',
        RFW_ENGINE_WORKERS: '2',
        RFW_SQLITE_BINDING: '/opt/electron/better_sqlite3.node',
        RFW_NATIVE_KERNELS: 'off',
        RFW_KERNEL_THREADS: '3',
        RFW_PORT: '8123',
      }),
    ).toEqual({
      home: '/tmp/rfw home',
      backend: 'cpu',
      engineWorkers: 2,
      sqliteBinding: '/opt/electron/better_sqlite3.node',
      nativeKernels: 'off',
      kernelThreads: 3,
      port: 8123,
    });
    expect(environmentVariables).toEqual([
      'RFW_HOME',
      'RFW_BACKEND',
      'RFW_ENGINE_WORKERS',
      'RFW_SQLITE_BINDING',
      'RFW_NATIVE_KERNELS',
      'RFW_KERNEL_THREADS',
      'RFW_PORT',
    ]);
  });

  it('counts a variable set to the empty string as not set', () => {
    expect(
      readEnvironmentSettings({ RFW_KERNEL_THREADS: '', RFW_NATIVE_KERNELS: '' }),
    ).toMatchObject({ kernelThreads: null, nativeKernels: 'on' });
  });

  it.each([
    ['RFW_KERNEL_THREADS', 'abc', 'a whole number of threads from 1 to 1024'],
    ['RFW_KERNEL_THREADS', '0', 'a whole number of threads from 1 to 1024'],
    ['RFW_KERNEL_THREADS', '2.5', 'a whole number of threads from 1 to 1024'],
    ['RFW_KERNEL_THREADS', '-1', 'a whole number of threads from 1 to 1024'],
    ['RFW_KERNEL_THREADS', '1e3', 'a whole number of threads from 1 to 1024'],
    ['RFW_ENGINE_WORKERS', '65', 'a whole number of workers from 1 to 64'],
    ['RFW_ENGINE_WORKERS', ' 4', 'a whole number of workers from 1 to 64'],
    ['RFW_NATIVE_KERNELS', 'false', 'on or off'],
    ['RFW_NATIVE_KERNELS', '0', 'on or off'],
    ['RFW_BACKEND', 'gpu', 'one of tensorflow-gpu, tensorflow, wasm, cpu'],
    ['RFW_PORT', '70000', 'a port number from 0 to 65535'],
  ])('refuses %s=%s, naming it and what it accepts', (name, value, accepts) => {
    expect(() => readEnvironmentSettings({ [name]: value })).toThrow(
      new EnvironmentSettingsError([
        `${name}=${JSON.stringify(value)} is not valid: use ${accepts}, or leave it unset`,
      ]),
    );
  });

  it('names every bad variable at once, and cuts a long value short', () => {
    let error: unknown;
    try {
      readEnvironmentSettings({ RFW_KERNEL_THREADS: 'x'.repeat(1000), RFW_BACKEND: 'tpu' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EnvironmentSettingsError);
    const { problems, message } = error as EnvironmentSettingsError;
    expect(problems).toHaveLength(2);
    expect(message).toMatch(/^the environment has 2 bad settings:\nRFW_BACKEND="tpu" is not valid/);
    expect(problems[1]).toMatch(/^RFW_KERNEL_THREADS="x{80}…" is not valid/);
  });

  it('gives the shells their options, with the machine-dependent defaults filled in', () => {
    const options = workbenchOptions(
      'cli',
      '/app/out/main',
      readEnvironmentSettings({
        RFW_HOME: '/h',
        RFW_NATIVE_KERNELS: 'off',
        RFW_KERNEL_THREADS: '2',
      }),
      '1.0',
    );
    expect(options).toMatchObject({
      homeDir: '/h',
      engineWorkerPath: '/app/out/main/engine-worker.js',
      forcedBackend: null,
      sqliteNativeBinding: null,
      engineSettings: { nativeKernels: 'off', kernelThreads: 2 },
    });
    expect(options.engineWorkers).toBeGreaterThanOrEqual(1);
    expect(options.engineWorkers).toBeLessThanOrEqual(4);
  });
});
