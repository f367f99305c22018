/**
 * APGD-T (Croce & Hein 2020): APGD with the targeted DLR loss, once per target class, for the
 * `targets` classes with the highest clean logits other than the true one (AutoAttack: 9 for
 * 10 classes; clamped to C − 1). Per example n and rank k = 1..K:
 *   t_{n,k} = the k-th largest of {z_j(x_n) : j ≠ y_n}   (distinct, never y_n)
 *   maximize  L(z, y) = −(z_y − z_t)/(z_π1 − (z_π3 + z_π4)/2 + 1e−12)   (margin-losses.ts)
 * It is an untargeted attack that searches through targets: success is misclassification as
 * any class. Results of the K · restarts runs are merged per example by the CW margin.
 * Hooks see run = k · restarts + restart.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Model } from '../models/model-types';
import { deriveSeed } from '../random/seeded-random';
import {
  cleanCandidate,
  runApgdRestarts,
  validateApgdOptions,
  type ApgdOptions,
  type ApgdRunContext,
} from './apgd';
import { wholeAtLeast } from './attack-options';
import { allFooled, checkAttackInputs } from './attack-state';
import { constraintFor } from './constraints/constraints';
import { indicator } from './logit-selection';
import { targetedDlrLoss } from './margin-losses';
import type { AttackHooks } from './pgd';

export interface ApgdTargetedOptions extends Omit<ApgdOptions, 'loss'> {
  /** How many target classes (AutoAttack: 9); more than C − 1 is clamped to C − 1. */
  targets: number;
}

export interface ApgdTargetedOutcome {
  /** [N,H,W,C] in S(x); the caller disposes it. */
  adversarial: tf.Tensor4D;
  /** CW margin at the returned point ([N], > 0: misclassified); the caller disposes it. */
  margin: tf.Tensor1D;
  /** targetClasses[k][n]: the class run k aimed example n at (only the runs that ran). */
  targetClasses: number[][];
  /** Mean targeted-DLR loss at x⁰…x^N of the first run. */
  lossPerStep: number[];
  /** Per example: no iteration of any run, for any target, moved the iterate. */
  stalled: boolean[];
}

/** t_{n,k}: the classes other than y_n by descending clean logit, int32 [N, count]. */
export function targetClassesByRank(
  logits: tf.Tensor2D,
  labels: tf.Tensor1D,
  count: number,
): tf.Tensor2D {
  return tf.tidy(() => {
    const own = tf.cast(indicator(labels, logits.shape[1]), 'bool');
    const others = tf.where(own, tf.fill(logits.shape, -Infinity), logits);
    return tf.topk(others, count).indices as tf.Tensor2D;
  });
}

export function runApgdTargeted(
  model: Model,
  images: tf.Tensor4D,
  labels: tf.Tensor1D,
  options: ApgdTargetedOptions,
  hooks: AttackHooks = {},
): ApgdTargetedOutcome {
  validateApgdOptions(options);
  wholeAtLeast(options.targets, 1, 'target classes');
  checkAttackInputs(model, images, labels);
  const classes = model.spec.numClasses;
  if (classes < 4) {
    throw new Error(
      `APGD-T's targeted DLR loss needs at least 4 classes, the model has ${classes}`,
    );
  }
  const count = Math.min(options.targets, classes - 1);
  const intLabels = tf.cast(labels, 'int32') as tf.Tensor1D;
  const ranked = tf.tidy(() => targetClassesByRank(model.forward(images).logits, intLabels, count));
  const targetClasses: number[][] = [];
  const curve = { loss: [] as number[], stepSizes: [] as number[] };
  const moved = new Array<boolean>(images.shape[0]).fill(false);
  let best: { point: tf.Tensor4D; margin: tf.Tensor1D } | null = cleanCandidate(
    model,
    images,
    intLabels,
  );
  try {
    for (let k = 0; k < count; k++) {
      const current: { point: tf.Tensor4D; margin: tf.Tensor1D } = best;
      if (allFooled(current.margin)) break;
      const targets = tf.tidy(() => tf.reshape(tf.slice(ranked, [0, k], [-1, 1]), [-1]));
      targetClasses.push(Array.from(targets.dataSync()));
      const context: ApgdRunContext = {
        model,
        images,
        labels: intLabels,
        loss: targetedDlrLoss(targets as tf.Tensor1D),
        constraint: constraintFor(options.constraint),
        epsilon: options.epsilon,
        iterations: options.iterations,
      };
      // runApgdRestarts consumes `current`, also when it throws.
      best = null;
      try {
        best = runApgdRestarts(
          context,
          { ...options, seed: deriveSeed(options.seed, 'target', k) },
          current,
          k * options.restarts,
          hooks,
          k === 0 ? curve : undefined,
          moved,
        );
      } finally {
        targets.dispose();
      }
    }
    return {
      adversarial: best.point,
      margin: best.margin,
      targetClasses,
      lossPerStep: curve.loss,
      stalled: moved.map((m) => !m),
    };
  } catch (error) {
    if (best !== null) tf.dispose([best.point, best.margin]);
    throw error;
  } finally {
    tf.dispose([ranked, intLabels]);
  }
}
