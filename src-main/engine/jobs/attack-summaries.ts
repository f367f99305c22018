/**
 * Per-example read-outs of an attack batch: top-5 softmax probabilities before and after,
 * perturbation norms ‖x' − x‖∞ and ‖x' − x‖₂, the predictions, and the cross-entropy
 * CE(f(x), y) and CE(f(x'), y) at the true label (the attack's own loss may be another: these
 * are the one figure every run can be compared on, and what a re-scoring in PyTorch computes).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TopPrediction } from '../../common/attack-schemas';
import { crossEntropyPerExample } from '../attacks/per-example-loss';
import { l2NormPerExample, linfNormPerExample } from '../attacks/constraints/per-example-norm';
import type { Model } from '../models/model-types';

export interface BatchSummary {
  cleanTop: TopPrediction[][];
  adversarialTop: TopPrediction[][];
  cleanPrediction: Int32Array;
  adversarialPrediction: Int32Array;
  linf: Float32Array;
  l2: Float32Array;
  cleanLoss: Float32Array;
  adversarialLoss: Float32Array;
}

function topPredictions(
  model: Model,
  images: tf.Tensor4D,
  trueLabels: tf.Tensor1D,
  k: number,
): { top: TopPrediction[][]; prediction: Int32Array; loss: Float32Array } {
  const [values, indices, crossEntropy] = tf.tidy(() => {
    const logits = model.forward(images).logits;
    const { values, indices } = tf.topk(tf.softmax(logits), k);
    return [values, indices, crossEntropyPerExample(logits, trueLabels)];
  });
  const probabilities = values.dataSync();
  const labels = indices.dataSync();
  const loss = Float32Array.from(crossEntropy.dataSync());
  tf.dispose([values, indices, crossEntropy]);
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
  return { top, prediction, loss };
}

export function summarizeBatch(
  model: Model,
  clean: tf.Tensor4D,
  adversarial: tf.Tensor4D,
  labels: tf.Tensor1D,
): BatchSummary {
  const k = Math.min(5, model.spec.numClasses);
  const before = topPredictions(model, clean, labels, k);
  const after = topPredictions(model, adversarial, labels, k);
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
    cleanLoss: before.loss,
    adversarialLoss: after.loss,
  };
  tf.dispose([linf, l2]);
  return result;
}
