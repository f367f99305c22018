/**
 * TRADES (Zhang et al. 2019): minimize over θ, per batch,
 *   L = mean_n CE(f(x_n), y_n) + β · mean_n KL(softmax f(x_n) ‖ softmax f(x'_n))
 * where x'_n approximately maximizes the KL term over S(x_n) = ε-ball ∩ [0,1]^d:
 *   x⁰ = Π_S(x + 0.001·z), z ~ N(0, I) (seeded)
 *   x^{t+1} = Π_S(step(x^t, ∇_{x'} Σ_n KL(p_n ‖ q_n(x^t)), α)),  t = 0..T−1;  x' = x^T
 * with p = softmax f(x) held fixed during the search (as in the reference code, which detaches
 * it), the search run in inference mode, and the last iterate kept (no best-loss tracking).
 * The step and projection are the threat model's own (constraints/*): sign steps for L∞,
 * normalized-gradient steps for L2. The reference code starts unprojected; here x⁰ is projected
 * so every iterate lies in S(x) (the difference is a clip of a 0.001-scale noise).
 * In the weight update both forward passes run in training mode and the gradient flows through
 * both arguments of the KL, as in the reference implementation.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { AttackOptions } from '../attacks/attack-options';
import { crossEntropyPerExample } from '../attacks/per-example-loss';
import { constraintFor } from '../attacks/constraints/constraints';
import { trainableVariables, type Model } from '../models/model-types';
import { correctCount } from './evaluate';
import { klDivergencePerExample } from './kl-divergence';
import { optimizerStep } from './training-step';

/** Scale of the Gaussian start around x. */
export const TRADES_START_SCALE = 0.001;

export type TradesAttack = Pick<
  AttackOptions,
  'constraint' | 'epsilon' | 'steps' | 'stepSize' | 'seed'
>;

export interface TradesParts {
  /** CE + β·KL, the minimized loss. */
  total: tf.Scalar;
  crossEntropy: tf.Scalar;
  kl: tf.Scalar;
}

/** The TRADES loss from the logits of the clean and the adversarial batch ([N, K] each). */
export function tradesObjective(
  cleanLogits: tf.Tensor2D,
  adversarialLogits: tf.Tensor2D,
  labels: tf.Tensor1D,
  beta: number,
): TradesParts {
  return tf.tidy(() => {
    const crossEntropy = tf.mean(crossEntropyPerExample(cleanLogits, labels)) as tf.Scalar;
    const kl = tf.mean(klDivergencePerExample(cleanLogits, adversarialLogits)) as tf.Scalar;
    return { total: tf.add(crossEntropy, tf.mul(kl, beta)) as tf.Scalar, crossEntropy, kl };
  });
}

/** x' for each image of the batch ([N,H,W,C] in S(x)); the caller disposes it. */
export function tradesExamples(
  model: Model,
  images: tf.Tensor4D,
  attack: TradesAttack,
  beforeStep: (step: number) => void = () => {},
): tf.Tensor4D {
  const constraint = constraintFor(attack.constraint);
  const target = tf.tidy(() => model.forward(images).logits);
  const gradient = tf.grad((point: tf.Tensor) =>
    tf.sum(klDivergencePerExample(target, model.forward(point as tf.Tensor4D).logits)),
  );
  let point = tf.tidy(() => {
    const noise = tf.randomNormal(images.shape, 0, 1, 'float32', attack.seed);
    return constraint.project(
      images,
      tf.add(images, tf.mul(noise, TRADES_START_SCALE)),
      attack.epsilon,
    );
  });
  try {
    for (let t = 0; t < attack.steps; t++) {
      beforeStep(t);
      const current = point;
      const next = tf.tidy(() =>
        constraint.project(
          images,
          constraint.step(current, gradient(current) as tf.Tensor4D, attack.stepSize),
          attack.epsilon,
        ),
      );
      current.dispose();
      point = next;
    }
    return point;
  } catch (error) {
    point.dispose();
    throw error;
  } finally {
    target.dispose();
  }
}

export interface TradesStepResult {
  loss: number;
  crossEntropy: number;
  kl: number;
  accuracy: number;
  adversarialAccuracy: number;
}

/** One optimizer step on the TRADES loss of a batch and its x' (from tradesExamples). */
export function tradesStep(
  model: Model,
  optimizer: tf.Optimizer,
  images: tf.Tensor4D,
  adversarial: tf.Tensor4D,
  labels: tf.Tensor1D,
  beta: number,
): TradesStepResult {
  const values = optimizerStep(optimizer, trainableVariables(model), () => {
    const clean = model.forward(images, { training: true }).logits;
    const perturbed = model.forward(adversarial, { training: true }).logits;
    const parts = tradesObjective(clean, perturbed, labels, beta);
    return {
      loss: parts.total,
      report: {
        crossEntropy: parts.crossEntropy,
        kl: parts.kl,
        correct: correctCount(clean, labels),
        adversarialCorrect: correctCount(perturbed, labels),
      },
    };
  });
  const n = images.shape[0];
  return {
    loss: values['loss'] ?? NaN,
    crossEntropy: values['crossEntropy'] ?? NaN,
    kl: values['kl'] ?? NaN,
    accuracy: (values['correct'] ?? 0) / n,
    adversarialAccuracy: (values['adversarialCorrect'] ?? 0) / n,
  };
}
