import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { loadNativeAddon } from '../../../../src-main/engine/kernels/native/native-addon';
import {
  registerNativeKernels,
  unregisterNativeKernels,
} from '../../../../src-main/engine/kernels/native/register-native-kernels';
import { useBackend } from '../use-backend';

describe('native kernels: the clean fallback', () => {
  it('RFW_NATIVE_KERNELS=off is reported and leaves the backend kernels as they were', async () => {
    await useBackend('wasm');
    const before = tf.getKernel('Conv2D', 'wasm')?.kernelFunc;
    const status = registerNativeKernels('wasm', { nativeKernels: 'off' });
    expect(status).toEqual({ active: false, detail: 'turned off by RFW_NATIVE_KERNELS=off' });
    expect(tf.getKernel('Conv2D', 'wasm')?.kernelFunc).toBe(before);
  });

  it('an addon that fails to load is reported with its reason, kernels untouched', async () => {
    await useBackend('wasm');
    const before = tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc;
    const status = registerNativeKernels(
      'wasm',
      {},
      { ok: false, reason: 'x.node failed to load: boom' },
    );
    expect(status).toEqual({ active: false, detail: 'x.node failed to load: boom' });
    expect(tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc).toBe(before);
  });

  it('the off switch is read from the settings given', () => {
    expect(loadNativeAddon({ nativeKernels: 'off' })).toEqual({
      ok: false,
      reason: 'turned off by RFW_NATIVE_KERNELS=off',
    });
  });

  it('unregisterNativeKernels puts back exactly the kernels it replaced', async () => {
    await useBackend('wasm');
    const before = tf.getKernel('Conv2D', 'wasm')?.kernelFunc;
    const status = registerNativeKernels('wasm', {});
    // Without the addon (RFW_NATIVE_KERNELS=off in this run) nothing was replaced.
    if (status.active) expect(tf.getKernel('Conv2D', 'wasm')?.kernelFunc).not.toBe(before);
    unregisterNativeKernels('wasm');
    expect(tf.getKernel('Conv2D', 'wasm')?.kernelFunc).toBe(before);
    unregisterNativeKernels('wasm');
    expect(tf.getKernel('Conv2D', 'wasm')?.kernelFunc).toBe(before);
  });
});
