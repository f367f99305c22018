/**
 * Per-example records of an evaluation's curves, for the export of its results (issue 15 §5):
 * for every curve run (ε e, attack a) and image n, what the evaluated model says about the
 * returned point x'_{e,a,n}, and for every ε the per-image worst-case adversarial image.
 *
 *   record[e][a][n] = (argmax f(x'), CE(f(x'), y), ‖x' − x‖∞, ‖x' − x‖₂)
 *   worst[e][n]     = x'_{e,a*,n},  a* = the first attack (curve order) with argmax f(x') ≠ y,
 *                     else argmax_a CE(f(x'_{e,a,n}), y) (the first of equals)
 *
 * so that "image n is robust at ε" (clean-correct and every attack failed, robust-accuracy.ts)
 * is exactly "clean-correct and the worst-case image is classified correctly". CE is the
 * cross-entropy at the true label in nats, whatever loss the attack maximized. The records'
 * type and their merge are pure (evaluation-example-records.ts), for the core's shard merge.
 */
import * as tf from '@tensorflow/tfjs-core';
import { crossEntropyPerExample } from '../attacks/per-example-loss';
import { l2NormPerExample, linfNormPerExample } from '../attacks/constraints/per-example-norm';
import type { Model } from '../models/model-types';
import {
  recordFields as fields,
  type EvaluationExampleRecords,
} from './evaluation-example-records';

/** Predictions and cross-entropies of `images` at `labels`. */
function readOut(
  model: Model,
  images: tf.Tensor4D,
  labels: tf.Tensor1D,
): { predictions: Int32Array; losses: Float32Array } {
  const [predictions, losses] = tf.tidy(() => {
    const logits = model.forward(images).logits;
    return [tf.argMax(logits, 1), crossEntropyPerExample(logits, labels)];
  });
  const out = {
    predictions: Int32Array.from(predictions.dataSync()),
    losses: Float32Array.from(losses.dataSync()),
  };
  tf.dispose([predictions, losses]);
  return out;
}

/** Collects the records of one batch's curve runs (robustAccuracyCurves' onAdversarial hook). */
export class EvaluationExampleRecorder {
  private readonly clean: { predictions: Int32Array; losses: Float32Array };
  private readonly trueLabels: Int32Array;
  private readonly runs: Float32Array[];
  private readonly worstAttack: number[][];
  private readonly worstImages: Float32Array[];
  /** [e][n]: the worst case so far is misclassified / its loss. */
  private readonly broken: boolean[][];
  private readonly worstLoss: number[][];
  private readonly imageSize: number;

  constructor(
    private readonly model: Model,
    private readonly images: tf.Tensor4D,
    private readonly labels: tf.Tensor1D,
    epsilons: number,
    private readonly attacks: number,
  ) {
    const [n, height, width, channels] = images.shape;
    this.imageSize = height * width * channels;
    this.clean = readOut(model, images, labels);
    this.trueLabels = Int32Array.from(labels.dataSync());
    this.runs = Array.from({ length: epsilons * attacks }, () => new Float32Array(n * fields));
    this.worstAttack = Array.from({ length: epsilons }, () => new Array<number>(n).fill(-1));
    this.worstImages = Array.from({ length: epsilons }, () => new Float32Array(n * this.imageSize));
    this.broken = Array.from({ length: epsilons }, () => new Array<boolean>(n).fill(false));
    this.worstLoss = Array.from({ length: epsilons }, () => new Array<number>(n).fill(-Infinity));
  }

  /** The returned points of attack `attack` at the curves' ε number `epsilon`. */
  readonly record = (epsilon: number, attack: number, adversarial: tf.Tensor4D): void => {
    const { predictions, losses } = readOut(this.model, adversarial, this.labels);
    const [linf, l2] = tf.tidy(() => {
      const delta = tf.sub(adversarial, this.images) as tf.Tensor4D;
      return [linfNormPerExample(delta), tf.reshape(l2NormPerExample(delta), [-1])];
    });
    const linfValues = linf.dataSync();
    const l2Values = l2.dataSync();
    tf.dispose([linf, l2]);
    const run = this.runs[epsilon * this.attacks + attack];
    const broken = this.broken[epsilon];
    const worstLoss = this.worstLoss[epsilon];
    const worstAttack = this.worstAttack[epsilon];
    const worstImages = this.worstImages[epsilon];
    if (!run || !broken || !worstLoss || !worstAttack || !worstImages)
      throw new Error(`no curve run ${epsilon}/${attack} in this evaluation`);
    const pixels = adversarial.dataSync();
    for (let n = 0; n < predictions.length; n += 1) {
      const prediction = predictions[n] ?? -1;
      const loss = losses[n] ?? NaN;
      run.set([prediction, loss, linfValues[n] ?? NaN, l2Values[n] ?? NaN], n * fields);
      const wrong = prediction !== this.trueLabels[n];
      if (broken[n] === true || !(wrong || loss > (worstLoss[n] ?? -Infinity))) continue;
      broken[n] = wrong;
      worstLoss[n] = loss;
      worstAttack[n] = attack;
      const start = n * this.imageSize;
      worstImages.set(pixels.subarray(start, start + this.imageSize), start);
    }
  };

  result(): EvaluationExampleRecords {
    return {
      count: this.trueLabels.length,
      cleanPredictions: Array.from(this.clean.predictions),
      cleanLosses: Array.from(this.clean.losses),
      runs: this.runs,
      worstAttack: this.worstAttack,
      worstImages: this.worstImages,
    };
  }
}
