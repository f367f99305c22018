/**
 * Square attack (Andriushchenko et al. 2020, "Square Attack: a query-efficient black-box
 * adversarial attack via random search"), under L∞ or L2. Black-box: it only calls
 * model.forward, never takes a gradient. Per example, with the margin
 * M(x') = max_{j≠y} z_j − z_y (> 0: misclassified):
 *
 *   x̂ = the norm's starting point                                              (1 query)
 *   for i = 1..N_queries − 1, for every example still classified correctly (M(x̂) ≤ 0):
 *     x' = the norm's candidate from x̂, with squares covering p(i) of the image
 *     if M(x') > M(x̂): x̂ = x'                                                   (1 query)
 * The norms' starting points and candidates are in square-linf-proposal.ts (stripes, ±ε squares)
 * and square-l2-proposal.ts (nested-square patterns on the ε-sphere); p(i) in
 * square-schedule.ts. Examples already misclassified are not queried again, so their query
 * count stops, and M(x̂) never decreases.
 *
 * The points live in plain Float32Arrays (NHWC) and only the batch of examples still being
 * attacked goes through the model each iteration, inside tf.tidy: the tensor count is the same
 * before every iteration. One random stream per call, seeded by `seed`, drawn example by
 * example in batch order: the same batch and seed give the same result.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Model } from '../models/model-types';
import { deriveSeed, mulberry32 } from '../random/seeded-random';
import { nonNegativeFinite, positiveFinite, wholeAtLeast } from './attack-options';
import { checkAttackInputs } from './attack-state';
import { cwMarginPerExample } from './margin-losses';
import type { AttackHooks } from './pgd';
import { l2Proposal } from './square-l2-proposal';
import { linfProposal } from './square-linf-proposal';
import type { SquareProposalFactory } from './square-proposal';
import { squareFraction } from './square-schedule';

export type SquareConstraint = 'linf' | 'l2';

export interface SquareOptions {
  constraint: SquareConstraint;
  /** Radius of the ball of that norm, [0,1] pixel units (0: x itself, one query). */
  epsilon: number;
  /** Query budget per example, the initialization included (paper: 10,000). */
  queries: number;
  /** p_init: fraction of the pixels the first squares cover (default 0.8, AutoAttack's). */
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

const proposals: Record<SquareConstraint, SquareProposalFactory> = {
  linf: linfProposal,
  l2: l2Proposal,
};

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

function checkSquareOptions(options: SquareOptions): number {
  const constraint: string = options.constraint;
  if (constraint !== 'linf' && constraint !== 'l2') {
    throw new Error(`the Square attack runs under linf or l2, got ${constraint}`);
  }
  nonNegativeFinite(options.epsilon, 'ε');
  wholeAtLeast(options.queries, 1, 'queries');
  const initialFraction = options.initialFraction ?? 0.8;
  positiveFinite(initialFraction, 'initial square fraction');
  if (initialFraction > 1)
    throw new Error(`initial square fraction must be ≤ 1, got ${initialFraction}`);
  if (!Number.isInteger(options.seed))
    throw new Error(`seed must be a whole number, got ${options.seed}`);
  return initialFraction;
}

export function runSquareAttack(
  model: Model,
  images: tf.Tensor4D,
  labels: tf.Tensor1D,
  options: SquareOptions,
  hooks: AttackHooks = {},
): SquareOutcome {
  const initialFraction = checkSquareOptions(options);
  checkAttackInputs(model, images, labels);
  const [n, h, w, c] = images.shape;
  // A window needs room to move: side ≤ min(H, W) − 1.
  if (h < 2 || w < 2)
    throw new Error(`the Square attack needs images of at least 2×2, got ${h}×${w}`);

  const size = h * w * c;
  const epsilon = options.epsilon;
  const x = images.dataSync() as Float32Array;
  const y = Int32Array.from(labels.dataSync());
  const random = mulberry32(deriveSeed(options.seed, 'square'));
  const example = (data: Float32Array, e: number): Float32Array =>
    data.subarray(e * size, (e + 1) * size);

  const best = new Float32Array(x);
  const proposal =
    epsilon > 0
      ? proposals[options.constraint]({ height: h, width: w, channels: c }, epsilon, random)
      : null;
  if (proposal !== null)
    for (let e = 0; e < n; e++) proposal.start(example(x, e), example(best, e));
  const bestMargin = marginsOf(model, best, [n, h, w, c], y);
  const queries: number[] = new Array<number>(n).fill(1);

  for (let iteration = 1; iteration < options.queries && proposal !== null; iteration++) {
    const active: number[] = [];
    for (let e = 0; e < n; e++) if ((bestMargin[e] ?? 0) <= 0) active.push(e);
    if (active.length === 0) break;
    hooks.beforeStep?.(0, iteration);
    const fraction = squareFraction(initialFraction, iteration - 1, options.queries);
    const candidate = new Float32Array(active.length * size);
    active.forEach((e, k) => {
      proposal.propose(example(x, e), example(best, e), fraction, example(candidate, k));
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
        best.set(example(candidate, k), e * size);
      }
    });
  }
  return {
    adversarial: tf.tensor4d(best, [n, h, w, c]),
    margin: tf.tensor1d(bestMargin),
    queries,
  };
}
