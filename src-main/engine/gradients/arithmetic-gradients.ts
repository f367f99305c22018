/**
 * Gradients of the elementwise kernels on the models' and losses' paths.
 *   Add: ∂(a+b) = (dy, dy)   Sub: (dy, −dy)   Multiply: (dy·b, dy·a)   RealDiv: (dy/b, −dy·a/b²)
 *   Neg: −dy   Square: 2x·dy   Relu: dy·[x>0]
 * each reduced over broadcast axes back to the input's shape.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig } from '@tensorflow/tfjs-core';
import { asFloat32, binaryGradient, savedTensor, singleDy } from './gradient-helpers';
import { reluGradient } from './relu-gradient';

export const arithmeticGradients: GradConfig[] = [
  binaryGradient('Add', (dy) => [() => dy, () => dy]),
  binaryGradient('Sub', (dy) => [() => dy, () => tf.neg(dy)]),
  binaryGradient('Multiply', (dy, a, b) => [
    () => tf.mul(dy, tf.cast(b, 'float32')),
    () => tf.mul(dy, tf.cast(a, 'float32')),
  ]),
  binaryGradient('RealDiv', (dy, a, b) => [
    () => tf.div(dy, b),
    () => tf.neg(tf.div(tf.mul(dy, a), tf.square(b))),
  ]),
  {
    kernelName: 'Neg',
    gradFunc: (dy) => ({ x: () => tf.neg(singleDy(dy)) }),
  },
  {
    kernelName: 'Square',
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => ({
      x: () => tf.mul(singleDy(dy), tf.mul(asFloat32(savedTensor(saved, 0, 'Square')), 2)),
    }),
  },
  {
    kernelName: 'Relu',
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => ({
      x: () => reluGradient(singleDy(dy), savedTensor(saved, 0, 'Relu')),
    }),
  },
];
