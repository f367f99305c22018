/**
 * Auto-PGD (Croce & Hein 2020, "Reliable evaluation of adversarial robustness with an ensemble
 * of diverse parameter-free attacks"), L∞ and L2. One run, for a loss L maximized with the
 * true labels y (cross-entropy: APGD-CE; targeted DLR: one target of APGD-T, apgd-targeted.ts):
 *
 *   x⁰ a random point of S(x) (or x);  η_n = 2ε;  x_max = x⁰
 *   for k = 0..N−1:
 *     z^{k+1} = P_S(x^k + η · direction(∇L(x^k)))
 *     x^{k+1} = P_S(x^k + α(z^{k+1} − x^k) + (1−α)(x^k − x^{k−1})),  α = 0.75 (1 at k = 0)
 *     x_max ← x^{k+1} where L(x^{k+1}) > L(x_max)
 *     at a checkpoint k+1 = w_j (apgd-schedule.ts), per example, halve η and go back to x_max
 *     (the iterate and its gradient; x^{k−1} stays, as in the reference code) when
 *       condition 1: #{i ∈ [w_{j−1}, w_j): L(x^{i+1}) > L(x^i)} < ρ · (w_j − w_{j−1}),  ρ = 0.75
 *       condition 2: η was not halved at w_{j−1} and L(x_max) has not risen since w_{j−1}
 *     (condition 2 is off at w_1, as in the reference implementation, which starts with
 *     "reduced at the last check" set).
 * Returned per example: the last misclassified iterate if the run found one, else x_max, and
 * whether the attack stalled: no iteration of any run changed the iterate (see pgd.ts).
 * Restarts (new random starts) are merged per example by the CW margin at the returned point
 * (attack-state.ts keepLargerMargin); once every example is misclassified no further run starts.
 *
 * Memory: each iteration runs in tf.tidy and the state record is swapped tensor-for-tensor, so
 * tf.memory().numTensors is the same before every iteration.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Model } from '../models/model-types';
import { deriveSeed } from '../random/seeded-random';
import { apgdCheckpoints } from './apgd-schedule';
import { nonNegativeFinite, wholeAtLeast } from './attack-options';
import {
  checkAttackInputs,
  choosePerExample,
  disposeRecord,
  distinctTensors,
  keepLargerMargin,
  marginAt,
  allFooled,
  swapRecord,
} from './attack-state';
import type { Constraint } from './constraints/constraint';
import { constraintFor } from './constraints/constraints';
import { cwMarginPerExample } from './margin-losses';
import { crossEntropyLoss, type PerExampleLoss } from './per-example-loss';
import type { AttackHooks } from './pgd';

/** Momentum weight α of the paper. */
const MOMENTUM = 0.75;
/** ρ: at least this fraction of the steps since the last checkpoint must have raised L. */
const INCREASE_FRACTION = 0.75;

export interface ApgdOptions {
  constraint: 'linf' | 'l2';
  /** Radius of the ball, [0,1] pixel units (0: the attack returns x). */
  epsilon: number;
  /** N_iter per run (AutoAttack: 100). */
  iterations: number;
  /** Runs from new random starts, merged per example. */
  restarts: number;
  /** Start at a random point of S(x) (AutoAttack does); false: at x. */
  randomStart: boolean;
  seed: number;
  /** Maximized with the true labels; default cross-entropy (APGD-CE). */
  loss?: PerExampleLoss;
}

export interface ApgdOutcome {
  /** [N,H,W,C] in S(x); the caller disposes it. */
  adversarial: tf.Tensor4D;
  /** CW margin max_{j≠y} z_j − z_y at the returned point ([N], > 0: misclassified); caller's. */
  margin: tf.Tensor1D;
  /** Mean L over the batch at x⁰, x¹, …, x^N of the first run (N + 1 values). */
  lossPerStep: number[];
  /** η per example at the end of the first run (2ε halved at each reduction). */
  finalStepSizes: number[];
  /** Per example: no iteration of any run moved the iterate. */
  stalled: boolean[];
}

/** What one run needs; labels int32 [N]. */
export interface ApgdRunContext {
  model: Model;
  images: tf.Tensor4D;
  labels: tf.Tensor1D;
  loss: PerExampleLoss;
  constraint: Constraint;
  epsilon: number;
  iterations: number;
}

type ApgdState = {
  point: tf.Tensor4D;
  previous: tf.Tensor4D;
  gradient: tf.Tensor4D;
  loss: tf.Tensor1D;
  bestPoint: tf.Tensor4D;
  bestGradient: tf.Tensor4D;
  bestLoss: tf.Tensor1D;
  fooledPoint: tf.Tensor4D;
  /** 1 where some iterate was misclassified, [N]. */
  fooled: tf.Tensor1D;
  /** η, [N,1,1,1]. */
  stepSize: tf.Tensor4D;
  /** 1 where some iteration changed the iterate (x^{k+1} ≠ x^k), [N]. */
  moved: tf.Tensor1D;
  /** #{L(x^{i+1}) > L(x^i)} since the last checkpoint, [N]. */
  increases: tf.Tensor1D;
  /** L(x_max) at the last checkpoint, [N]. */
  bestLossAtCheck: tf.Tensor1D;
  /** 1 where η was halved at the last checkpoint, [N]. */
  reducedAtCheck: tf.Tensor1D;
};

export function validateApgdOptions(options: ApgdOptions): void {
  if (options.constraint !== 'linf' && options.constraint !== 'l2') {
    throw new Error(`APGD runs under linf or l2, got ${String(options.constraint)}`);
  }
  nonNegativeFinite(options.epsilon, 'ε');
  wholeAtLeast(options.iterations, 1, 'iterations');
  wholeAtLeast(options.restarts, 1, 'restarts');
  if (!Number.isInteger(options.seed))
    throw new Error(`seed must be a whole number, got ${options.seed}`);
}

/** L, ∇ₓL and the CW margin at `point`, from one forward and one backward pass. */
function evaluate(
  context: ApgdRunContext,
  point: tf.Tensor4D,
): { loss: tf.Tensor1D; gradient: tf.Tensor4D; margin: tf.Tensor1D } {
  const captured: { logits?: tf.Tensor2D } = {};
  const lossAndGradient = tf.valueAndGrad<tf.Tensor, tf.Tensor1D>((p) => {
    const output = context.model.forward(p as tf.Tensor4D);
    // Kept past valueAndGrad's own tidy for the margin, and disposed below.
    captured.logits = tf.keep(output.logits);
    return context.loss.compute(output, context.labels);
  });
  try {
    const { value, grad } = lossAndGradient(point, tf.ones([point.shape[0]]));
    const logits = captured.logits;
    if (logits === undefined) throw new Error('the model returned no logits');
    return {
      loss: value,
      gradient: grad as tf.Tensor4D,
      margin: cwMarginPerExample(logits, context.labels),
    };
  } finally {
    captured.logits?.dispose();
  }
}

function initialState(context: ApgdRunContext, start: tf.Tensor4D): ApgdState {
  return tf.tidy(() => {
    const { loss, gradient, margin } = evaluate(context, start);
    const n = start.shape[0];
    return distinctTensors({
      point: start,
      previous: start,
      gradient,
      loss,
      bestPoint: start,
      bestGradient: gradient,
      bestLoss: loss,
      fooledPoint: start,
      fooled: tf.cast(tf.greater(margin, 0), 'float32') as tf.Tensor1D,
      stepSize: tf.fill([n, 1, 1, 1], 2 * context.epsilon) as tf.Tensor4D,
      moved: tf.zeros([n]) as tf.Tensor1D,
      increases: tf.zeros([n]) as tf.Tensor1D,
      bestLossAtCheck: loss,
      reducedAtCheck: tf.ones([n]) as tf.Tensor1D,
    });
  });
}

/** One momentum step, the new iterate's loss and gradient, and the x_max / misclassified updates. */
function iterate(context: ApgdRunContext, state: ApgdState, step: number): ApgdState {
  return tf.tidy(() => {
    const { images, constraint, epsilon } = context;
    const weight = step === 0 ? 1 : MOMENTUM;
    const z = constraint.project(
      images,
      tf.add(state.point, tf.mul(constraint.direction(state.gradient), state.stepSize)),
      epsilon,
    );
    const moved = constraint.project(
      images,
      tf.add(
        tf.add(state.point, tf.mul(tf.sub(z, state.point), weight)),
        tf.mul(tf.sub(state.point, state.previous), 1 - weight),
      ) as tf.Tensor4D,
      epsilon,
    );
    const { loss, gradient, margin } = evaluate(context, moved);
    const misclassified = tf.greater(margin, 0) as tf.Tensor1D;
    const improved = tf.greater(loss, state.bestLoss) as tf.Tensor1D;
    return distinctTensors({
      ...state,
      point: moved,
      previous: state.point,
      gradient,
      loss,
      bestPoint: choosePerExample(improved, moved, state.bestPoint),
      bestGradient: choosePerExample(improved, gradient, state.bestGradient),
      bestLoss: tf.maximum(loss, state.bestLoss) as tf.Tensor1D,
      fooledPoint: choosePerExample(misclassified, moved, state.fooledPoint),
      fooled: tf.maximum(state.fooled, tf.cast(misclassified, 'float32')) as tf.Tensor1D,
      moved: tf.maximum(
        state.moved,
        tf.cast(tf.any(tf.notEqual(moved, state.point), [1, 2, 3]), 'float32'),
      ) as tf.Tensor1D,
      increases: tf.add(
        state.increases,
        tf.cast(tf.greater(loss, state.loss), 'float32'),
      ) as tf.Tensor1D,
    });
  });
}

/** The checkpoint test (conditions 1 and 2) over an interval of `interval` iterations. */
function checkpoint(state: ApgdState, interval: number): ApgdState {
  return tf.tidy(() => {
    const tooFewIncreases = tf.less(state.increases, INCREASE_FRACTION * interval);
    const stalled = tf.logicalAnd(
      tf.equal(state.reducedAtCheck, 0),
      tf.lessEqual(state.bestLoss, state.bestLossAtCheck),
    );
    const halve = tf.logicalOr(tooFewIncreases, stalled) as tf.Tensor1D;
    return distinctTensors({
      ...state,
      stepSize: choosePerExample(halve, tf.mul(state.stepSize, 0.5), state.stepSize),
      point: choosePerExample(halve, state.bestPoint, state.point),
      gradient: choosePerExample(halve, state.bestGradient, state.gradient),
      increases: tf.zerosLike(state.increases),
      bestLossAtCheck: state.bestLoss,
      reducedAtCheck: tf.cast(halve, 'float32') as tf.Tensor1D,
    });
  });
}

function meanOf(values: tf.Tensor1D): number {
  return tf.tidy(() => tf.mean(values).dataSync()[0] ?? NaN);
}

/**
 * One APGD run from `start` (consumed: disposed before returning). Returns the run's point
 * per example (last misclassified iterate, else x_max); when `curve` is given, appends the
 * batch-mean loss of every iterate to it; sets moved[n] where some iteration moved example n.
 */
export function apgdRun(
  context: ApgdRunContext,
  start: tf.Tensor4D,
  run: number,
  hooks: AttackHooks,
  curve?: { loss: number[]; stepSizes: number[] },
  moved?: boolean[],
): tf.Tensor4D {
  const checkpoints = apgdCheckpoints(context.iterations);
  let state: ApgdState;
  try {
    state = initialState(context, start);
  } catch (error) {
    start.dispose();
    throw error;
  }
  try {
    curve?.loss.push(meanOf(state.loss));
    let lastCheckpoint = 0;
    for (let step = 0; step < context.iterations; step++) {
      hooks.beforeStep?.(run, step);
      state = swapRecord(state, iterate(context, state, step));
      curve?.loss.push(meanOf(state.loss));
      if (checkpoints.includes(step + 1)) {
        state = swapRecord(state, checkpoint(state, step + 1 - lastCheckpoint));
        lastCheckpoint = step + 1;
      }
    }
    if (curve !== undefined) curve.stepSizes = Array.from(state.stepSize.dataSync());
    state.moved.dataSync().forEach((value, n) => {
      if (moved !== undefined && value > 0) moved[n] = true;
    });
    const { fooled, fooledPoint, bestPoint } = state;
    return tf.tidy(() => choosePerExample(fooled, fooledPoint, bestPoint));
  } finally {
    disposeRecord(state);
  }
}

/**
 * APGD with restarts: the best point per example over `restarts` runs of one loss, merged into
 * `best` (consumed; the result replaces it). Runs are numbered from `firstRun` for the hooks;
 * `moved` collects which examples some run moved (see apgdRun).
 */
export function runApgdRestarts(
  context: ApgdRunContext,
  options: Pick<ApgdOptions, 'restarts' | 'randomStart' | 'seed'>,
  best: { point: tf.Tensor4D; margin: tf.Tensor1D },
  firstRun: number,
  hooks: AttackHooks,
  curve?: { loss: number[]; stepSizes: number[] },
  moved?: boolean[],
): { point: tf.Tensor4D; margin: tf.Tensor1D } {
  let current = best;
  try {
    for (let restart = 0; restart < options.restarts; restart++) {
      if (allFooled(current.margin)) break;
      const run = firstRun + restart;
      const start = options.randomStart
        ? context.constraint.randomStart(
            context.images,
            context.epsilon,
            deriveSeed(options.seed, 'apgd', run),
          )
        : tf.clone(context.images);
      const point = apgdRun(context, start, run, hooks, restart === 0 ? curve : undefined, moved);
      const margin = marginAt(context.model, point, context.labels);
      const merged = keepLargerMargin(current, { point, margin });
      tf.dispose([point, margin, current.point, current.margin]);
      current = merged;
    }
    return current;
  } catch (error) {
    // `best` is consumed: on a cancel or failure the merged candidates go too.
    tf.dispose([current.point, current.margin]);
    throw error;
  }
}

/** The clean inputs as the starting "best": their own margin, so any run that beats it wins. */
export function cleanCandidate(
  model: Model,
  images: tf.Tensor4D,
  labels: tf.Tensor1D,
): { point: tf.Tensor4D; margin: tf.Tensor1D } {
  return { point: tf.clone(images), margin: marginAt(model, images, labels) };
}

/** APGD-CE (or APGD with any loss maximized with the true labels), with restarts. */
export function runApgd(
  model: Model,
  images: tf.Tensor4D,
  labels: tf.Tensor1D,
  options: ApgdOptions,
  hooks: AttackHooks = {},
): ApgdOutcome {
  validateApgdOptions(options);
  checkAttackInputs(model, images, labels);
  const intLabels = tf.cast(labels, 'int32') as tf.Tensor1D;
  const context: ApgdRunContext = {
    model,
    images,
    labels: intLabels,
    loss: options.loss ?? crossEntropyLoss,
    constraint: constraintFor(options.constraint),
    epsilon: options.epsilon,
    iterations: options.iterations,
  };
  const curve = { loss: [] as number[], stepSizes: [] as number[] };
  const moved = new Array<boolean>(images.shape[0]).fill(false);
  try {
    const best = runApgdRestarts(
      context,
      options,
      cleanCandidate(model, images, intLabels),
      0,
      hooks,
      curve,
      moved,
    );
    return {
      adversarial: best.point,
      margin: best.margin,
      lossPerStep: curve.loss,
      finalStepSizes: curve.stepSizes,
      stalled: moved.map((m) => !m),
    };
  } finally {
    intLabels.dispose();
  }
}
