/**
 * Linear classifiers f(x) = sign(wᵀx) (no bias: both experiments have classes symmetric about
 * 0) under a worst-case perturbation ‖δ‖_p ≤ ε.
 *
 * For a linear score the worst case is known exactly (Hölder): with q the dual norm
 * (ℓ2 ↔ ℓ2, ℓ∞ ↔ ℓ1), min_{‖δ‖_p ≤ ε} y·wᵀ(x + δ) = y·wᵀx − ε‖w‖_q, reached at
 *   ℓ2:  δ = −ε·y·w/‖w‖₂        ℓ∞:  δ = −ε·y·sign(w)
 * so "robust accuracy" is P(y·wᵀx − ε‖w‖_q > 0): a tie (score exactly 0) counts as wrong.
 */
import { norm1, norm2 } from '../../math/linear-algebra';

export type ThreatNorm = 'l2' | 'linf';

/** ‖w‖_q for the norm q dual to the threat norm: how much an ε-perturbation can move wᵀx. */
export function dualNorm(weights: ArrayLike<number>, norm: ThreatNorm): number {
  return norm === 'l2' ? norm2(weights) : norm1(weights);
}

/**
 * The unit-budget worst-case direction u, so that δ* = −ε·y·u:
 * ℓ2: u = w/‖w‖₂ (0 for w = 0);  ℓ∞: u = sign(w).
 */
export function worstCaseDirection(weights: ArrayLike<number>, norm: ThreatNorm): Float64Array {
  if (norm === 'linf') return Float64Array.from(weights, (w) => Math.sign(w));
  const length = norm2(weights);
  return Float64Array.from(weights, (w) => (length > 0 ? w / length : 0));
}

/** Writes x + δ* = x − ε·y·u (the worst-case point for label y) into `out`. */
export function worstCasePoint(
  direction: ArrayLike<number>,
  point: ArrayLike<number>,
  label: number,
  epsilon: number,
  out: Float64Array,
): Float64Array {
  const step = epsilon * label;
  for (let i = 0; i < direction.length; i++) out[i] = (point[i] ?? 0) - step * (direction[i] ?? 0);
  return out;
}

/** True when sign(wᵀx) = y, with y ∈ {−1, +1}; a zero score is wrong. */
export function classifiesCorrectly(
  weights: ArrayLike<number>,
  point: ArrayLike<number>,
  label: number,
): boolean {
  let score = 0;
  for (let i = 0; i < weights.length; i++) score += (weights[i] ?? 0) * (point[i] ?? 0);
  return label * score > 0;
}

/** A labelled sample: N points of dimension d, row-major, labels ±1. */
export interface LabelledSample {
  dimension: number;
  points: Float64Array;
  labels: Int8Array;
}

/**
 * Simulated accuracy of sign(wᵀx) at each ε: every point is moved to its worst-case point
 * (worstCasePoint) and classified; ε = 0 is the clean accuracy.
 */
export function simulatedAccuracies(
  weights: ArrayLike<number>,
  sample: LabelledSample,
  epsilons: readonly number[],
  norm: ThreatNorm,
): number[] {
  const { dimension, points, labels } = sample;
  if (weights.length !== dimension) {
    throw new Error(
      `classifier has ${weights.length} weights but the points have ${dimension} coordinates`,
    );
  }
  const count = labels.length;
  const direction = worstCaseDirection(weights, norm);
  const moved = new Float64Array(dimension);
  return epsilons.map((epsilon) => {
    let correct = 0;
    for (let n = 0; n < count; n++) {
      const point = points.subarray(n * dimension, (n + 1) * dimension);
      const label = labels[n] ?? 0;
      worstCasePoint(direction, point, label, epsilon, moved);
      if (classifiesCorrectly(weights, moved, label)) correct++;
    }
    return correct / count;
  });
}

/** Evenly spaced values from 0 to max inclusive (points ≥ 2). */
export function epsilonGrid(max: number, points: number): number[] {
  if (!(max > 0) || !Number.isFinite(max))
    throw new Error(`largest ε must be a finite number > 0, got ${max}`);
  if (!Number.isInteger(points) || points < 2) {
    throw new Error(`an ε grid needs a whole number ≥ 2 of points, got ${points}`);
  }
  return Array.from({ length: points }, (_, i) => (max * i) / (points - 1));
}
