/**
 * FAB-T, the targeted Fast Adaptive Boundary attack (Croce & Hein, ICML 2020, "Minimally distorted
 * adversarial examples with a fast adaptive boundary attack"), L∞ or L2. A minimum-norm attack:
 * it looks for the adversarial point closest to x, then the caller asks whether that is within ε.
 *
 * Per image x of class y and target class t (the `targets` wrong classes with the highest clean
 * logits, one run each, as AutoAttack's FAB-T), with f(z) = z_t(z) − z_y(z) (f > 0: classified
 * as t rather than y) and x⁰ = x (one restart, no random start, AutoAttack's standard setting):
 *   1. linearize the boundary f = 0 at the iterate:  π = {z : f(xⁱ) + ⟨∇f(xⁱ), z − xⁱ⟩ = 0};
 *   2. δ    = proj(xⁱ) − xⁱ,  δ_o = proj(x) − x: the minimal-norm steps onto π ∩ [0,1]^d from the
 *      iterate and from the original point (fab-projection.ts);
 *   3. α = min(‖δ‖ / (‖δ‖ + ‖δ_o‖), α_max): the bias toward x's own projection (paper eq. 8) —
 *      small while the iterate is already near the boundary, at most α_max;
 *   4. xⁱ⁺¹ = clip_[0,1]((1 − α)(xⁱ + η·δ) + α(x + η·δ_o)), η > 1 overshooting the linearized
 *      boundary a little so that the step lands on the far side of the real one;
 *   5. if xⁱ⁺¹ is misclassified (argmax ≠ y, any class): keep it if ‖xⁱ⁺¹ − x‖ is the smallest
 *      found so far, and step back toward x: xⁱ⁺¹ ← (1 − β)·x + β·xⁱ⁺¹.
 * AutoAttack's standard setting (the paper's, for these norms): 100 iterations, α_max = 0.1,
 * η = 1.05, β = 0.9. Every image costs one forward and backward pass (∇f) and one forward pass
 * (the test of step 5) per iteration.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Model } from '../models/model-types';
import { targetClassesByRank } from './apgd-targeted';
import { positiveFinite, wholeAtLeast } from './attack-options';
import { checkAttackInputs, swapRecord } from './attack-state';
import { projectOntoHyperplaneInBox, rowNorms, type FabNorm } from './fab-projection';
import { indicator, pick } from './logit-selection';
import type { AttackHooks } from './pgd';

/** The paper's and AutoAttack's constants (standard version). */
export const fabStandard = {
  /** α_max, the largest weight of the original point's projection in a step. */
  alphaMax: 0.1,
  /** η, the overshoot past the linearized boundary. */
  eta: 1.05,
  /** β, the backward step toward x after a success: keep 90% of the way. */
  beta: 0.9,
} as const;

export interface FabOptions {
  norm: FabNorm;
  iterations: number;
  /** Target classes (AutoAttack: 9); more than C − 1 is clamped to C − 1. */
  targets: number;
  /**
   * null: the minimal norm over every target for every image. A radius: the run of target k
   * skips the images already broken within it (AutoAttack's FAB-T), which changes no answer to
   * "is there an adversarial point within ε" since each target's run is independent of the others.
   */
  epsilon: number | null;
  alphaMax?: number;
  eta?: number;
  beta?: number;
}

export interface FabOutcome {
  /** Per image the closest misclassified point found, x where none; the caller disposes it. */
  adversarial: tf.Tensor4D;
  /** ‖adversarial − x‖ per image; 0 where x itself is misclassified, Infinity where none found. */
  norms: number[];
  /** targetClasses[k][n]: the class run k aimed image n at. */
  targetClasses: number[][];
  /** Per image: no iteration of any target's run moved the iterate (a zero gradient there). */
  stalled: boolean[];
}

interface FabRun {
  model: Model;
  norm: FabNorm;
  /** x, [M,H,W,C]. */
  images: tf.Tensor4D;
  labels: tf.Tensor1D;
  /** One-hot rows of y and t, [M,K]. */
  trueRows: tf.Tensor2D;
  targetRows: tf.Tensor2D;
  alphaMax: number;
  eta: number;
  beta: number;
}

type FabState = {
  point: tf.Tensor4D;
  best: tf.Tensor4D;
  bestNorm: tf.Tensor1D;
  /** 1 where some iteration changed the iterate. */
  moved: tf.Tensor1D;
};

function validateFabOptions(options: FabOptions): void {
  if (options.norm !== 'linf' && options.norm !== 'l2') {
    throw new Error(`FAB-T runs under linf or l2, got ${String(options.norm)}`);
  }
  wholeAtLeast(options.iterations, 1, 'iterations');
  wholeAtLeast(options.targets, 1, 'target classes');
  if (options.epsilon !== null && !(options.epsilon >= 0 && Number.isFinite(options.epsilon))) {
    throw new Error(`ε must be a finite number ≥ 0, got ${String(options.epsilon)}`);
  }
  const { alphaMax, eta, beta } = { ...fabStandard, ...options };
  positiveFinite(alphaMax, 'α_max');
  if (alphaMax > 1) throw new Error(`α_max must be at most 1, got ${alphaMax}`);
  positiveFinite(eta, 'η');
  positiveFinite(beta, 'β');
  if (beta >= 1) throw new Error(`β must be less than 1, got ${beta}`);
}

/** f = z_t − z_y and ∇ₓf per example, from one forward and one backward pass. */
function boundaryAt(run: FabRun, point: tf.Tensor4D): { f: tf.Tensor1D; w: tf.Tensor4D } {
  const gap = tf.valueAndGrad<tf.Tensor, tf.Tensor1D>((p) => {
    const logits = run.model.forward(p as tf.Tensor4D).logits;
    return tf.sub(pick(logits, run.targetRows), pick(logits, run.trueRows));
  });
  const { value, grad } = gap(point, tf.ones([point.shape[0]]));
  return { f: value, w: grad as tf.Tensor4D };
}

/** Steps 1–5 of the file comment, for every image of the run at once. */
function fabStep(run: FabRun, state: FabState): FabState {
  return tf.tidy(() => {
    const { images, norm } = run;
    const n = images.shape[0];
    const flat = (t: tf.Tensor) => tf.reshape(t, [n, -1]) as tf.Tensor2D;
    const column = (t: tf.Tensor) => tf.reshape(t, [n, 1, 1, 1]);
    const { f, w } = boundaryAt(run, state.point);
    const w2 = flat(w);
    const p = flat(state.point);
    const x = flat(images);
    // π: ⟨w, z − xⁱ⟩ = −f. From xⁱ: ⟨w, δ⟩ = −f; from x: ⟨w, δ_o⟩ = −f − ⟨w, x − xⁱ⟩.
    const fromPoint = projectOntoHyperplaneInBox(norm, w2, tf.neg(f), tf.neg(p), tf.sub(1, p));
    const towardOriginal = tf.sub(tf.neg(f), tf.sum(tf.mul(w2, tf.sub(x, p)), 1)) as tf.Tensor1D;
    const fromOriginal = projectOntoHyperplaneInBox(
      norm,
      w2,
      towardOriginal,
      tf.neg(x),
      tf.sub(1, x),
    );
    const a = rowNorms(norm, fromPoint);
    const b = rowNorms(norm, fromOriginal);
    const sum = tf.add(a, b);
    const ratio = tf.where(tf.greater(sum, 0), tf.div(a, tf.where(tf.greater(sum, 0), sum, 1)), 0);
    const alpha = tf.reshape(tf.minimum(ratio, run.alphaMax), [n, 1]);
    const mixed = tf.add(
      tf.mul(tf.sub(1, alpha), tf.add(p, tf.mul(run.eta, fromPoint))),
      tf.mul(alpha, tf.add(x, tf.mul(run.eta, fromOriginal))),
    );
    const next = tf.reshape(tf.clipByValue(mixed, 0, 1), images.shape) as tf.Tensor4D;
    const predicted = tf.argMax(run.model.forward(next).logits, 1);
    const fooled = tf.notEqual(predicted, run.labels) as tf.Tensor1D;
    const distance = rowNorms(norm, tf.sub(flat(next), x) as tf.Tensor2D);
    const improved = tf.logicalAnd(fooled, tf.less(distance, state.bestNorm));
    const back = tf.add(tf.mul(1 - run.beta, images), tf.mul(run.beta, next));
    const point = tf.where(column(fooled), back, next) as tf.Tensor4D;
    const changed = tf.any(tf.notEqual(flat(point), p), 1);
    return {
      point,
      best: tf.where(column(improved), next, state.best) as tf.Tensor4D,
      bestNorm: tf.where(improved, distance, state.bestNorm) as tf.Tensor1D,
      moved: tf.maximum(state.moved, tf.cast(changed, 'float32')) as tf.Tensor1D,
    };
  });
}

/** One target's run over a batch: the closest misclassified point found per image, and its norm. */
function fabRun(run: FabRun, iterations: number, hooks: AttackHooks, index: number) {
  let state: FabState = {
    point: tf.clone(run.images),
    best: tf.clone(run.images),
    bestNorm: tf.fill([run.images.shape[0]], Infinity) as tf.Tensor1D,
    moved: tf.zeros([run.images.shape[0]]) as tf.Tensor1D,
  };
  try {
    for (let i = 0; i < iterations; i++) {
      hooks.beforeStep?.(index, i);
      state = swapRecord(state, fabStep(run, state));
    }
    return {
      best: tf.clone(state.best),
      norms: Array.from(state.bestNorm.dataSync()),
      moved: Array.from(state.moved.dataSync(), (m) => m > 0),
    };
  } finally {
    tf.dispose(Object.values(state));
  }
}

/**
 * Replaces, per image, the current best point by a run's where the run's is closer: `indices`
 * are the run's images in the batch, `norms` its norms. Returns the new points (the old ones
 * are disposed) and updates `bestNorms` in place.
 */
function mergeCloser(
  best: tf.Tensor4D,
  bestNorms: number[],
  found: tf.Tensor4D,
  indices: number[],
  norms: number[],
): tf.Tensor4D {
  // Rows 0..N−1 of [best; found] are the current points, N + j the run's j-th.
  const pickRows = bestNorms.map((_, n) => n);
  indices.forEach((n, j) => {
    const norm = norms[j] ?? Infinity;
    if (norm < (bestNorms[n] ?? Infinity)) {
      bestNorms[n] = norm;
      pickRows[n] = bestNorms.length + j;
    }
  });
  const merged = tf.tidy(() => tf.gather(tf.concat([best, found], 0), pickRows) as tf.Tensor4D);
  best.dispose();
  return merged;
}

export function runFabTargeted(
  model: Model,
  images: tf.Tensor4D,
  labels: tf.Tensor1D,
  options: FabOptions,
  hooks: AttackHooks = {},
): FabOutcome {
  validateFabOptions(options);
  checkAttackInputs(model, images, labels);
  const classes = model.spec.numClasses;
  if (classes < 2) throw new Error(`FAB-T needs at least 2 classes, the model has ${classes}`);
  const count = Math.min(options.targets, classes - 1);
  const intLabels = tf.cast(labels, 'int32') as tf.Tensor1D;
  const { ranked, correct } = tf.tidy(() => {
    const logits = model.forward(images).logits;
    return {
      ranked: targetClassesByRank(logits, intLabels, count),
      correct: tf.equal(tf.argMax(logits, 1), intLabels),
    };
  });
  const clean = Array.from(correct.dataSync(), (hit) => hit === 1);
  // A misclassified image is its own adversarial point, at distance 0.
  const norms = clean.map((ok) => (ok ? Infinity : 0));
  const rankedRows = ranked.arraySync() as number[][];
  tf.dispose([ranked, correct]);
  const targetClasses: number[][] = [];
  const moved = clean.map(() => false);
  let best = tf.clone(images);
  try {
    for (let k = 0; k < count; k++) {
      const targets = rankedRows.map((row) => row[k] ?? 0);
      targetClasses.push(targets);
      const radius = options.epsilon;
      const open = norms
        .map((norm, n) => ((radius === null ? norm > 0 : norm > radius) ? n : -1))
        .filter((n) => n >= 0);
      if (open.length === 0) break;
      const found = runOnSubset(model, images, intLabels, open, targets, options, hooks, k);
      open.forEach((n, j) => {
        if (found.moved[j] === true) moved[n] = true;
      });
      try {
        best = mergeCloser(best, norms, found.best, open, found.norms);
      } finally {
        found.best.dispose();
      }
    }
    return { adversarial: best, norms, targetClasses, stalled: moved.map((m) => !m) };
  } catch (error) {
    best.dispose();
    throw error;
  } finally {
    intLabels.dispose();
  }
}

/** fabRun on the images `open` of the batch, each aimed at its class in `targets`. */
function runOnSubset(
  model: Model,
  images: tf.Tensor4D,
  labels: tf.Tensor1D,
  open: number[],
  targets: number[],
  options: FabOptions,
  hooks: AttackHooks,
  index: number,
) {
  const classes = model.spec.numClasses;
  const tensors = tf.tidy(() => {
    const rows = tf.tensor1d(open, 'int32');
    const subsetLabels = tf.gather(labels, rows) as tf.Tensor1D;
    const subsetTargets = tf.tensor1d(
      open.map((n) => targets[n] ?? 0),
      'int32',
    );
    return {
      images: tf.gather(images, rows) as tf.Tensor4D,
      labels: subsetLabels,
      trueRows: indicator(subsetLabels, classes),
      targetRows: indicator(subsetTargets, classes),
    };
  });
  try {
    return fabRun(
      {
        model,
        norm: options.norm,
        ...tensors,
        alphaMax: options.alphaMax ?? fabStandard.alphaMax,
        eta: options.eta ?? fabStandard.eta,
        beta: options.beta ?? fabStandard.beta,
      },
      options.iterations,
      hooks,
      index,
    );
  } finally {
    tf.dispose(Object.values(tensors));
  }
}
