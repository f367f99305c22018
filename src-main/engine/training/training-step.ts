/**
 * One optimizer step on a batch: minimize mean_n CE(f(x_n), y_n) over the model's variables.
 * Also returns the batch loss and how many it classified right, read from the same forward pass
 * (the count is kept out of minimize's tidy with tf.keep and disposed here).
 */
import * as tf from '@tensorflow/tfjs-core';
import { crossEntropyPerExample } from '../attacks/per-example-loss';
import type { Model } from '../models/model-types';
import { correctCount } from './evaluate';

export interface StepResult {
  loss: number;
  accuracy: number;
}

export function trainingStep(
  model: Model,
  optimizer: tf.Optimizer,
  images: tf.Tensor4D,
  labels: tf.Tensor1D,
): StepResult {
  const kept: { correct?: tf.Scalar } = {};
  const variables = model.parameters.map((p) => p.variable);
  const loss = optimizer.minimize(
    () => {
      const { logits } = model.forward(images);
      kept.correct = tf.keep(correctCount(logits, labels));
      return tf.mean(crossEntropyPerExample(logits, labels));
    },
    true,
    variables,
  );
  const correct = kept.correct;
  if (loss === null || correct === undefined) throw new Error('training step produced no loss');
  const result = {
    loss: loss.dataSync()[0] ?? NaN,
    accuracy: (correct.dataSync()[0] ?? 0) / images.shape[0],
  };
  tf.dispose([loss, correct]);
  return result;
}

/** Loss and accuracy on a batch without training (the clean batch during adversarial training). */
export function batchStatistics(
  model: Model,
  images: tf.Tensor4D,
  labels: tf.Tensor1D,
): StepResult {
  return tf.tidy(() => {
    const { logits } = model.forward(images);
    const loss = tf.mean(crossEntropyPerExample(logits, labels)).dataSync()[0] ?? NaN;
    const correct = correctCount(logits, labels).dataSync()[0] ?? 0;
    return { loss, accuracy: correct / images.shape[0] };
  });
}
