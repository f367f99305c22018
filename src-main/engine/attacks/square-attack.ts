/**
 * Square attack, L∞ (Andriushchenko et al. 2020, "Square Attack: a query-efficient black-box
 * adversarial attack via random search"). Black-box: it only calls model.forward, never takes a
 * gradient. Per example, with the margin M(x') = max_{j≠y} z_j − z_y (> 0: misclassified):
 *
 *   x̂ = clip(x + δ), δ: vertical stripes, each column and channel ±ε at random   (1 query)
 *   for i = 1..N_queries − 1, for every example still classified correctly (M(x̂) ≤ 0):
 *     s = round(√(p(i)·h·w)) within [1, h−1]   (square-schedule.ts), a random s×s window
 *     δ' = δ with the window set to ±ε per channel (redrawn until it changes x̂ there)
 *     x' = clip(x + δ'); if M(x') > M(x̂): x̂ = x', δ = δ'                           (1 query)
 * Examples already misclassified are not queried again, so their query count stops.
 *
 * The perturbation lives in plain Float32Arrays (NHWC) and only the batch of examples still
 * being attacked goes through the model each iteration, inside tf.tidy: the tensor count is
 * the same before every iteration. L2 (the paper's nested-square proposal) is not implemented.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Model } from '../models/model-types';
import { deriveSeed, mulberry32, type RandomSource } from '../random/seeded-random';
import { nonNegativeFinite, positiveFinite, wholeAtLeast } from './attack-options';
import { checkAttackInputs } from './attack-state';
import { cwMarginPerExample } from './margin-losses';
import type { AttackHooks } from './pgd';
import { squareFraction, squareSide } from './square-schedule';

export interface SquareOptions {
  constraint: 'linf';
  /** Radius of the L∞ ball, [0,1] pixel units (0: x itself, one query). */
  epsilon: number;
  /** Query budget per example, the initialization included (paper: 10,000). */
  queries: number;
  /** p_init: fraction of the pixels the first squares cover (default 0.8, the paper's MNIST). */
  initialFraction?: number;
  seed: number;
}

export interface SquareOutcome {
  /** [N,H,W,C] in S(x); the caller disposes it. */
  adversarial: tf.Tensor4D;
  /** CW margin at the returned point ([N], > 0: misclassified); the caller disposes it. */
  margin: tf.Tensor1D;
  /** Forward passes spent on each example (1 … queries). */
  queries: number[];
}

/** Redraws of a square before giving up on changing it (only reachable when ε = 0). */
const MAX_REDRAWS = 1000;

/** M(x') for a batch given as a flat NHWC array. */
function marginsOf(
  model: Model,
  data: Float32Array,
  shape: [number, number, number, number],
  labels: Int32Array,
): Float32Array {
  return tf.tidy(() => {
    const points = tf.tensor4d(data, shape);
    const margin = cwMarginPerExample(model.forward(points).logits, tf.tensor1d(labels, 'int32'));
    return margin.dataSync() as Float32Array;
  });
}

const clip = (v: number): number => Math.min(1, Math.max(0, v));
const sign = (random: RandomSource, epsilon: number): number =>
  random() < 0.5 ? -epsilon : epsilon;

export function runSquareAttack(
  model: Model,
  images: tf.Tensor4D,
  labels: tf.Tensor1D,
  options: SquareOptions,
  hooks: AttackHooks = {},
): SquareOutcome {
  if (options.constraint !== 'linf') {
    throw new Error(
      `the Square attack is implemented for linf only, got ${String(options.constraint)}`,
    );
  }
  nonNegativeFinite(options.epsilon, 'ε');
  wholeAtLeast(options.queries, 1, 'queries');
  const initialFraction = options.initialFraction ?? 0.8;
  positiveFinite(initialFraction, 'initial square fraction');
  if (initialFraction > 1)
    throw new Error(`initial square fraction must be ≤ 1, got ${initialFraction}`);
  if (!Number.isInteger(options.seed))
    throw new Error(`seed must be a whole number, got ${options.seed}`);
  checkAttackInputs(model, images, labels);

  const [n, h, w, c] = images.shape;
  const size = h * w * c;
  const epsilon = options.epsilon;
  const x = images.dataSync() as Float32Array;
  const y = Int32Array.from(labels.dataSync());
  const random = mulberry32(deriveSeed(options.seed, 'square'));

  // Vertical stripes: δ[n, row, col, ch] = ±ε, the same down each column.
  const delta = new Float32Array(n * size);
  for (let e = 0; e < n; e++) {
    for (let col = 0; col < w; col++) {
      for (let ch = 0; ch < c; ch++) {
        const value = sign(random, epsilon);
        for (let row = 0; row < h; row++) delta[e * size + (row * w + col) * c + ch] = value;
      }
    }
  }
  const best = new Float32Array(n * size);
  for (let i = 0; i < best.length; i++) best[i] = clip((x[i] ?? 0) + (delta[i] ?? 0));
  const bestMargin = marginsOf(model, best, [n, h, w, c], y);
  const queries: number[] = new Array<number>(n).fill(1);

  for (let iteration = 1; iteration < options.queries && epsilon > 0; iteration++) {
    const active: number[] = [];
    for (let e = 0; e < n; e++) if ((bestMargin[e] ?? 0) <= 0) active.push(e);
    if (active.length === 0) break;
    hooks.beforeStep?.(0, iteration);
    const side = squareSide(squareFraction(initialFraction, iteration - 1, options.queries), h, w);
    const candidate = new Float32Array(active.length * size);
    const candidateDelta = new Float32Array(active.length * size);
    active.forEach((e, k) => {
      candidateDelta.set(delta.subarray(e * size, (e + 1) * size), k * size);
      const top = Math.floor(random() * (h - side));
      const left = Math.floor(random() * (w - side));
      const at = (row: number, col: number, ch: number): number =>
        ((top + row) * w + left + col) * c + ch;
      // Redraw the window's per-channel ±ε until the clipped image changes somewhere in it.
      for (let redraw = 0; redraw < MAX_REDRAWS; redraw++) {
        const values = Array.from({ length: c }, () => sign(random, epsilon));
        let changes = false;
        for (let row = 0; row < side; row++) {
          for (let col = 0; col < side; col++) {
            for (let ch = 0; ch < c; ch++) {
              const i = e * size + at(row, col, ch);
              const moved = clip((x[i] ?? 0) + (values[ch] ?? 0));
              if (Math.abs(moved - (best[i] ?? 0)) >= 1e-7) changes = true;
              candidateDelta[k * size + at(row, col, ch)] = values[ch] ?? 0;
            }
          }
        }
        if (changes) break;
      }
      for (let i = 0; i < size; i++) {
        candidate[k * size + i] = clip(
          (x[e * size + i] ?? 0) + (candidateDelta[k * size + i] ?? 0),
        );
      }
    });
    const margins = marginsOf(
      model,
      candidate,
      [active.length, h, w, c],
      Int32Array.from(active, (e) => y[e] ?? 0),
    );
    active.forEach((e, k) => {
      queries[e] = (queries[e] ?? 0) + 1;
      const margin = margins[k] ?? -Infinity;
      if (margin > (bestMargin[e] ?? Infinity)) {
        bestMargin[e] = margin;
        best.set(candidate.subarray(k * size, (k + 1) * size), e * size);
        delta.set(candidateDelta.subarray(k * size, (k + 1) * size), e * size);
      }
    });
  }
  return {
    adversarial: tf.tensor4d(best, [n, h, w, c]),
    margin: tf.tensor1d(bestMargin),
    queries,
  };
}
