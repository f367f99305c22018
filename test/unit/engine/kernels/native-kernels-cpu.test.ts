import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  registerNativeKernels,
  unregisterNativeKernels,
} from '../../../../src-main/engine/kernels/native/register-native-kernels';
import { maxRelativeError, useBackend } from '../use-backend';
import { randomValues } from './kernel-test-data';
import { readEnvironmentSettings } from '../../../../src-main/common/environment-settings';

/**
 * The native kernels in front of the cpu backend (where the engine runs when wasm cannot),
 * whose tensors live in JS typed arrays rather than the wasm heap: one small network's forward
 * and gradients, first on the cpu backend's own kernels, then on the native ones. Its own file,
 * because it changes the cpu backend's kernels for the whole process.
 */
const turnedOff = readEnvironmentSettings(process.env).nativeKernels === 'off';

function network(): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.tensor4d(randomValues(6 * 10 * 10 * 3, 1), [6, 10, 10, 3]);
    const w = tf.mul<tf.Tensor4D>(tf.tensor4d(randomValues(3 * 3 * 3 * 8, 2), [3, 3, 3, 8]), 0.3);
    const b = tf.tensor1d(randomValues(8, 3));
    const v = tf.mul<tf.Tensor2D>(tf.tensor2d(randomValues(5 * 5 * 8 * 4, 4), [200, 4]), 0.1);
    const loss = (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor, vi: tf.Tensor): tf.Scalar => {
      const h = tf.relu(tf.add(tf.conv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, 1, 'same'), bi));
      const pooled = tf.maxPool(h as tf.Tensor4D, 2, 2, 'valid');
      return tf.sum(tf.square(tf.matMul(tf.reshape(pooled, [6, 200]), vi as tf.Tensor2D)));
    };
    const { value, grads } = tf.valueAndGrads(loss)([x, w, b, v]);
    return [value, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

describe.skipIf(turnedOff)('native kernels on the cpu backend', () => {
  it('forward and every gradient match the cpu kernels, and unregistering restores them', async () => {
    await useBackend('cpu');
    const reference = network();
    const status = registerNativeKernels('cpu');
    expect(status.active).toBe(true);
    const actual = network();
    reference.forEach((values, i) => {
      expect(maxRelativeError(actual[i] ?? [], values)).toBeLessThan(1e-4);
    });
    // An int32 tensor cast to float32 keeps its Int32Array on cpu; the kernels still read it.
    const mask = tf.cast(tf.tensor1d([1, 0, 3], 'int32'), 'float32');
    expect(Array.from(tf.mul(mask, tf.tensor1d([0.5, 2, 2])).dataSync())).toEqual([0.5, 0, 6]);
    tf.dispose(mask);
    unregisterNativeKernels('cpu');
    expect(network()).toEqual(reference);
  });
});
