/**
 * Projected gradient descent on the loss (Madry et al. 2018), with restarts and per-example
 * best tracking; FGSM is its one-step special case (see fgsmOptions).
 *
 * Objective per example n, maximized:  J_n(x') = s · L(f(x'_n), ℓ_n)
 *   untargeted: s = +1, ℓ = true label;  targeted: s = −1, ℓ = target class.
 * Restart r:  x⁰ = randomStart ? RandomPoint(S(x)) : x
 *             x^{t+1} = Π_S( step(x^t, ∇ₓ Σ_n J_n(x^t), α) ),  t = 0..T−1
 * Returned, per example: argmax of J over the iterates x¹..x^T of every restart (the start point
 * itself is not a candidate, so FGSM returns its step even where the step lowered the loss),
 * and whether the attack stalled: no step of any restart changed the iterate (x^{t+1} = x^t for
 * every t), which a working gradient attack never does to an image it has not yet broken.
 *
 * Memory: each step runs in tf.tidy and the loop state (current point, best point, best
 * objective) is swapped tensor-for-tensor, so tf.memory().numTensors is the same every step.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Model } from '../models/model-types';
import { deriveSeed } from '../random/seeded-random';
import { validateAttackOptions, type AttackOptions } from './attack-options';
import { checkAttackInputs } from './attack-state';
import { constraintFor } from './constraints/constraints';

export interface AttackHooks {
  /** Called before each step (restart r, step t); throw (e.g. JobCancelledError) to stop. */
  beforeStep?(restart: number, step: number): void;
}

export interface AttackOutcome {
  /** [N,H,W,C] in S(x); the caller disposes it. */
  adversarial: tf.Tensor4D;
  /** L at the returned point, per example ([N]); the caller disposes it. */
  loss: tf.Tensor1D;
  /**
   * Mean L over the batch at x⁰, x¹, …, x^T of the FIRST restart (T+1 values). The first
   * restart's curve rather than a mean over restarts: it is the curve of a plain
   * restarts = 1 run, so curves stay comparable when only the restart count changes.
   */
  lossPerStep: number[];
  /** Per example: no step of any restart moved the iterate (see the file comment). */
  stalled: boolean[];
}

type BestState = {
  point: tf.Tensor4D;
  objective: tf.Tensor1D;
};

/** Keeps the iterate where it beats the best so far: mask m_n = [J_n(x') > best_n]. */
function updateBest(best: BestState, candidate: tf.Tensor4D, objective: tf.Tensor1D): BestState {
  return tf.tidy(() => {
    const improved = tf.cast(tf.greater(objective, best.objective), 'float32');
    const mask = tf.reshape(improved, [-1, 1, 1, 1]);
    const point = tf.add(
      tf.mul(candidate, mask),
      tf.mul(best.point, tf.sub(1, mask)),
    ) as tf.Tensor4D;
    return { point, objective: tf.maximum(objective, best.objective) };
  });
}

/** Frees the tensors of `old` that `next` does not reuse; returns `next`. */
function swap<T extends tf.Tensor | BestState>(old: T, next: T): T {
  const tensors = (state: tf.Tensor | BestState): tf.Tensor[] =>
    state instanceof tf.Tensor ? [state] : [state.point, state.objective];
  const keep = new Set(tensors(next).map((t) => t.id));
  tf.dispose(tensors(old).filter((t) => !keep.has(t.id)));
  return next;
}

export function runAttack(
  model: Model,
  images: tf.Tensor4D,
  labels: tf.Tensor1D,
  options: AttackOptions,
  hooks: AttackHooks = {},
): AttackOutcome {
  const config = validateAttackOptions(options, model.spec.numClasses);
  checkAttackInputs(model, images, labels);
  const constraint = constraintFor(config.constraint);
  const sign = config.targetClass === null ? 1 : -1;
  const lossLabels =
    config.targetClass === null
      ? tf.cast(labels, 'int32')
      : tf.fill([labels.shape[0]], config.targetClass, 'int32');

  /** J(x') per example [N]. */
  const objective = (point: tf.Tensor4D): tf.Tensor1D =>
    tf.mul(config.loss.compute(model.forward(point), lossLabels as tf.Tensor1D), sign);
  const objectiveAndGradient = tf.valueAndGrad<tf.Tensor, tf.Tensor1D>((point) =>
    objective(point as tf.Tensor4D),
  );

  const lossPerStep: number[] = [];
  /** Per example: some step has changed the iterate (x^{t+1} ≠ x^t), bool [N]. */
  let moved = tf.zeros([images.shape[0]], 'bool') as tf.Tensor1D;
  let best: BestState = {
    point: tf.clone(images),
    objective: tf.fill([images.shape[0]], -Infinity) as tf.Tensor1D,
  };
  try {
    for (let restart = 0; restart < config.restarts; restart++) {
      let point = config.randomStart
        ? constraint.randomStart(
            images,
            config.epsilon,
            deriveSeed(config.seed, 'restart', restart),
          )
        : tf.clone(images);
      try {
        for (let t = 0; t <= config.steps; t++) {
          hooks.beforeStep?.(restart, t);
          const last = t === config.steps;
          const next = tf.tidy(() => {
            const ones = tf.ones([images.shape[0]]) as tf.Tensor1D;
            const { value, grad } = last
              ? { value: objective(point) as tf.Tensor, grad: null }
              : objectiveAndGradient(point, ones);
            if (restart === 0) lossPerStep.push((tf.mean(value).dataSync()[0] ?? NaN) * sign);
            const updated =
              t === 0 ? best : updateBest(best, point, value as tf.Tensor as tf.Tensor1D);
            const stepped =
              grad === null
                ? point
                : constraint.project(
                    images,
                    constraint.step(point, grad as tf.Tensor4D, config.stepSize),
                    config.epsilon,
                  );
            const changed =
              grad === null
                ? moved
                : tf.logicalOr(moved, tf.any(tf.notEqual(stepped, point), [1, 2, 3]));
            return { best: updated, point: stepped, moved: changed };
          });
          best = swap(best, next.best);
          point = swap(point, next.point);
          moved = swap(moved, next.moved as tf.Tensor1D);
        }
      } finally {
        point.dispose();
      }
    }
    const loss = tf.tidy(() => tf.mul(best.objective, sign) as tf.Tensor1D);
    best.objective.dispose();
    const stalled = Array.from(moved.dataSync(), (value) => value === 0);
    return { adversarial: best.point, loss, lossPerStep, stalled };
  } catch (error) {
    tf.dispose([best.point, best.objective]);
    throw error;
  } finally {
    tf.dispose([lossLabels, moved]);
  }
}
