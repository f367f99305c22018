/**
 * One optimizer step on a batch: minimize mean_n CE(f(x_n), y_n) over the model's trainable
 * variables, with the forward pass in training mode (layers with batch statistics use the batch's
 * and update their running averages; the running averages themselves are not trained). Also
 * returns the batch loss and how many it classified right, read from the same forward pass.
 */
import * as tf from '@tensorflow/tfjs-core';
import { crossEntropyPerExample } from '../attacks/per-example-loss';
import { trainableVariables, type Model } from '../models/model-types';
import { correctCount } from './evaluate';

export interface StepResult {
  loss: number;
  accuracy: number;
}

export interface LossParts {
  loss: tf.Scalar;
  /** Scalars computed alongside the loss (in the same forward pass), read back by name. */
  report: Record<string, tf.Scalar>;
}

/**
 * Minimizes the loss that `build` returns; returns its value as 'loss' and the reported scalars.
 * The reported tensors are kept out of minimize's tidy with tf.keep and disposed here.
 */
export function optimizerStep(
  optimizer: tf.Optimizer,
  variables: tf.Variable[],
  build: () => LossParts,
): Record<string, number> {
  const kept: tf.Scalar[] = [];
  const names: string[] = [];
  const loss = optimizer.minimize(
    () => {
      const parts = build();
      for (const [name, value] of Object.entries(parts.report)) {
        names.push(name);
        kept.push(tf.keep(value));
      }
      return parts.loss;
    },
    true,
    variables,
  );
  try {
    if (loss === null) throw new Error('training step produced no loss');
    const values: Record<string, number> = { loss: loss.dataSync()[0] ?? NaN };
    names.forEach((name, i) => (values[name] = kept[i]?.dataSync()[0] ?? NaN));
    return values;
  } finally {
    tf.dispose(loss === null ? kept : [loss, ...kept]);
  }
}

export function trainingStep(
  model: Model,
  optimizer: tf.Optimizer,
  images: tf.Tensor4D,
  labels: tf.Tensor1D,
): StepResult {
  const values = optimizerStep(optimizer, trainableVariables(model), () => {
    const { logits } = model.forward(images, { training: true });
    return {
      loss: tf.mean(crossEntropyPerExample(logits, labels)) as tf.Scalar,
      report: { correct: correctCount(logits, labels) },
    };
  });
  return { loss: values['loss'] ?? NaN, accuracy: (values['correct'] ?? 0) / images.shape[0] };
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
