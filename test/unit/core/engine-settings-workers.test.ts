/**
 * Engine workers get the settings the shell parsed at start (common/environment-settings.ts)
 * with their start, not from the environment: a pool started with native kernels off reports
 * them off, and one started with the defaults uses them even where the environment it inherits
 * says RFW_NATIVE_KERNELS=off. Runs the built worker (out/main/engine-worker.js).
 */
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultEngineSettings } from '../../../src-main/common/environment-settings';
import { EnginePool } from '../../../src-main/core/engine-pool';
import { readEngineWorkerData } from '../../../src-main/engine/worker/engine-worker-data';

const workerPath = resolve('out/main/engine-worker.js');

describe('engine workers and their settings', { timeout: 60_000 }, () => {
  const pools: EnginePool[] = [];
  const saved = process.env['RFW_NATIVE_KERNELS'];

  afterEach(async () => {
    if (saved === undefined) delete process.env['RFW_NATIVE_KERNELS'];
    else process.env['RFW_NATIVE_KERNELS'] = saved;
    await Promise.all(pools.splice(0).map((pool) => pool.terminate()));
  });

  it('a worker started with native kernels off reports them off', async () => {
    const pool = new EnginePool(workerPath, 'wasm', 1, () => {}, {
      nativeKernels: 'off',
      kernelThreads: null,
    });
    pools.push(pool);
    const ready = await pool.start();
    expect(ready.backend.active).toBe('wasm');
    expect(ready.backend.nativeKernels).toEqual({
      active: false,
      detail: 'turned off by RFW_NATIVE_KERNELS=off',
    });
  });

  it('a worker does not read the environment it inherits', async () => {
    process.env['RFW_NATIVE_KERNELS'] = 'off';
    const pool = new EnginePool(workerPath, 'wasm', 1, () => {}, defaultEngineSettings);
    pools.push(pool);
    const ready = await pool.start();
    expect(ready.backend.nativeKernels?.detail).not.toBe('turned off by RFW_NATIVE_KERNELS=off');
  });

  it('checks the settings it is started with like any other message', () => {
    expect(readEngineWorkerData(undefined)).toEqual(defaultEngineSettings);
    expect(readEngineWorkerData({ settings: { nativeKernels: 'off', kernelThreads: 2 } })).toEqual({
      nativeKernels: 'off',
      kernelThreads: 2,
    });
    expect(() =>
      readEngineWorkerData({ settings: { nativeKernels: 'maybe', kernelThreads: 0 } }),
    ).toThrow(/the engine worker was started with settings it cannot read/);
  });
});
