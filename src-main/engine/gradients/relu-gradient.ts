/**
 * The ReLU's gradient, dy · step(x) = dy where x > 0, 0 where x ≤ 0 (NaN where x is NaN), with x
 * the ReLU's input or its output (> 0 at the same places). Where the native ReluGradient kernel
 * is in front of the active backend this is one pass over the activations; elsewhere it is
 * tfjs' Step then Multiply (two passes and a temporary), with the same result to the bit.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { RELU_GRADIENT_KERNEL } from '../kernels/native/native-elementwise-kernels';
import { isNativeKernel } from '../kernels/native/register-native-kernels';
import { asFloat32 } from './gradient-helpers';

export function reluGradient(dy: Tensor, x: Tensor): Tensor {
  const fused =
    dy.dtype === 'float32' &&
    x.dtype === 'float32' &&
    tf.util.arraysEqual(dy.shape, x.shape) &&
    isNativeKernel(RELU_GRADIENT_KERNEL, tf.getBackend());
  if (fused) return tf.engine().runKernel(RELU_GRADIENT_KERNEL, { dy, x }, {}) as Tensor;
  return tf.mul(dy, tf.step(asFloat32(x)));
}
