/**
 * Transfer attack: craft adversarial images on a source model A (white-box), then show them to
 * a target model B that the attack never saw. High success on B means the perturbation uses
 * features both models rely on (non-robust features generalize across models); B's accuracy on
 * A's images far below its white-box robust accuracy is impossible for an honest evaluation, so
 * the comparison also serves as a gradient-masking check (evaluation/sanity-checks.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Model } from '../models/model-types';
import { checkAttackInputs } from './attack-state';

/** Crafts x' on `model`; returns a new [N,H,W,C] tensor the caller disposes. */
export type CraftAdversarial = (
  model: Model,
  images: tf.Tensor4D,
  labels: tf.Tensor1D,
) => tf.Tensor4D;

export interface TransferOutcome {
  /** Per example: A misclassifies A's adversarial image. */
  sourceSuccess: boolean[];
  /** Per example: B misclassifies A's adversarial image. */
  targetSuccess: boolean[];
  /** B's accuracy on A's adversarial images. */
  targetAccuracy: number;
  /** B's accuracy on the clean images, for reference. */
  targetCleanAccuracy: number;
}

/** argmax_j z_j(x_n) = y_n, per example. */
export function correctPerExample(
  model: Model,
  images: tf.Tensor4D,
  labels: tf.Tensor1D,
): boolean[] {
  const hits = tf.tidy(() =>
    tf.equal(tf.argMax(model.forward(images).logits, 1), tf.cast(labels, 'int32')).dataSync(),
  );
  return Array.from(hits, (hit) => hit === 1);
}

export function fractionTrue(values: boolean[]): number {
  return values.length === 0 ? NaN : values.filter((v) => v).length / values.length;
}

export function transferAttack(
  source: Model,
  target: Model,
  images: tf.Tensor4D,
  labels: tf.Tensor1D,
  craft: CraftAdversarial,
): TransferOutcome {
  checkAttackInputs(source, images, labels);
  checkAttackInputs(target, images, labels);
  if (source.spec.numClasses !== target.spec.numClasses) {
    throw new Error(
      `the source model has ${source.spec.numClasses} classes but the target has ` +
        `${target.spec.numClasses}`,
    );
  }
  const adversarial = craft(source, images, labels);
  try {
    const sourceCorrect = correctPerExample(source, adversarial, labels);
    const targetCorrect = correctPerExample(target, adversarial, labels);
    return {
      sourceSuccess: sourceCorrect.map((correct) => !correct),
      targetSuccess: targetCorrect.map((correct) => !correct),
      targetAccuracy: fractionTrue(targetCorrect),
      targetCleanAccuracy: fractionTrue(correctPerExample(target, images, labels)),
    };
  } finally {
    adversarial.dispose();
  }
}
