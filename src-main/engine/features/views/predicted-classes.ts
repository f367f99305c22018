/** The top-1 class of each image for a model, as plain numbers. */
import * as tf from '@tensorflow/tfjs-core';
import type { Model } from '../../models/model-types';

export function predictedClasses(model: Model, images: tf.Tensor4D): Int32Array {
  return tf.tidy(() => Int32Array.from(tf.argMax(model.forward(images).logits, 1).dataSync()));
}
