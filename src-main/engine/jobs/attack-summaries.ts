/**
 * Per-example read-outs of an attack batch: top-5 softmax probabilities before and after,
 * perturbation norms ‖x' − x‖∞ and ‖x' − x‖₂, and the predictions.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TopPrediction } from '../../common/attack-schemas';
import { l2NormPerExample, linfNormPerExample } from '../attacks/constraints/per-example-norm';
import type { Model } from '../models/model-types';

export interface BatchSummary {
  cleanTop: TopPrediction[][];
  adversarialTop: TopPrediction[][];
  cleanPrediction: Int32Array;
  adversarialPrediction: Int32Array;
  linf: Float32Array;
  l2: Float32Array;
}

function topPredictions(
  model: Model,
  images: tf.Tensor4D,
  k: number,
): { top: TopPrediction[][]; prediction: Int32Array } {
  const { values, indices } = tf.tidy(() => tf.topk(tf.softmax(model.forward(images).logits), k));
  const probabilities = values.dataSync();
  const labels = indices.dataSync();
  tf.dispose([values, indices]);
  const n = images.shape[0];
  const top: TopPrediction[][] = [];
  const prediction = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const row: TopPrediction[] = [];
    for (let j = 0; j < k; j++)
      row.push({ label: labels[i * k + j] ?? -1, probability: probabilities[i * k + j] ?? NaN });
    top.push(row);
    prediction[i] = row[0]?.label ?? -1;
  }
  return { top, prediction };
}

export function summarizeBatch(
  model: Model,
  clean: tf.Tensor4D,
  adversarial: tf.Tensor4D,
): BatchSummary {
  const k = Math.min(5, model.spec.numClasses);
  const before = topPredictions(model, clean, k);
  const after = topPredictions(model, adversarial, k);
  const [linf, l2] = tf.tidy(() => {
    const delta = tf.sub(adversarial, clean) as tf.Tensor4D;
    return [linfNormPerExample(delta), tf.reshape(l2NormPerExample(delta), [-1])];
  });
  const result = {
    cleanTop: before.top,
    adversarialTop: after.top,
    cleanPrediction: before.prediction,
    adversarialPrediction: after.prediction,
    linf: Float32Array.from(linf.dataSync()),
    l2: Float32Array.from(l2.dataSync()),
  };
  tf.dispose([linf, l2]);
  return result;
}
