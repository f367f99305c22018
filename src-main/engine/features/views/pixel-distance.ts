/** ‖a_n − b_n‖₂ per example of two [N,H,W,C] batches, as plain numbers. */
import * as tf from '@tensorflow/tfjs-core';

export function pixelDistances(a: tf.Tensor4D, b: tf.Tensor4D): number[] {
  return tf.tidy(() => Array.from(tf.sqrt(tf.sum(tf.square(tf.sub(a, b)), [1, 2, 3])).dataSync()));
}
