/** Seeded uniform noise images in [0,1] (drawn in JavaScript, so identical on every backend). */
import * as tf from '@tensorflow/tfjs-core';
import { mulberry32 } from '../../random/seeded-random';

export function uniformNoise(shape: [number, number, number, number], seed: number): tf.Tensor4D {
  const random = mulberry32(seed);
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) values[i] = random();
  return tf.tensor4d(values, shape);
}
