/**
 * FAB's projection (Croce & Hein 2020, §3.1): per example, the smallest step δ that puts a point
 * p on a hyperplane while staying in the [0,1] box,
 *   min_δ ‖δ‖_p   s.t.   ⟨w, δ⟩ = c,   l ≤ δ ≤ u   (l = −p, u = 1 − p, so l ≤ 0 ≤ u),
 * for p = 2 and p = ∞. Rows of [N,d] matrices are examples.
 *
 * Flipping (w, c) to (−w, −c) leaves the problem as it is, so take c ≥ 0. Both norms reduce to
 * one monotone scalar equation:
 *   L2 (KKT):  δ_i = clip(λ·w_i, l_i, u_i) for the λ ≥ 0 that meets the hyperplane;
 *   L∞:        δ_i = clip(ρ·sign(w_i), l_i, u_i) for the least ρ ≥ 0 that meets it — the least ρ
 *              whose cube [−ρ, ρ]^d ∩ box reaches ⟨w, δ⟩ = c, and the point of that cube that
 *              reaches furthest (the L∞ minimizer is not unique; this is the canonical one).
 * With b_i the box bound in w_i's direction (u_i where w_i > 0, l_i where w_i < 0), coordinate i
 * contributes q_i·min(λ, t_i) to ⟨w, δ⟩, with
 *   L2: q_i = w_i², t_i = b_i / w_i;      L∞: q_i = |w_i|, t_i = |b_i|.
 * So g(λ) = Σ_i q_i·min(λ, t_i) is continuous, piecewise linear and nondecreasing, with breaks at
 * the t_i. Sorting them, t_(1) ≤ … ≤ t_(d), on [t_(k), t_(k+1)]
 *   g(λ) = P_k + λ·R_k,   P_k = Σ_{j≤k} q_(j) t_(j),   R_k = Σ_{j>k} q_(j),
 * and with K = #{k ≥ 1 : g(t_(k)) < c} the root is λ = (c − P_K) / R_K, exact, with no search.
 * When even g(∞) = P_d < c the hyperplane misses the box: the step goes to the box corner
 * b (λ = ∞), the point of the box closest to the hyperplane in ⟨w, ·⟩. Where w = 0 the
 * linearization says nothing and the step is 0.
 */
import * as tf from '@tensorflow/tfjs-core';

export type FabNorm = 'linf' | 'l2';

/** A break for q_i = 0 (w_i = 0): it never binds; finite, so that t·q = 0 rather than NaN. */
const NEVER = 1e30;

/**
 * δ [N,d] solving min ‖δ‖ s.t. ⟨w, δ⟩ = c, lower ≤ δ ≤ upper, per row (see the file comment).
 * w, lower, upper: [N,d]; c: [N]. Requires lower ≤ 0 ≤ upper.
 */
export function projectOntoHyperplaneInBox(
  norm: FabNorm,
  w: tf.Tensor2D,
  c: tf.Tensor1D,
  lower: tf.Tensor2D,
  upper: tf.Tensor2D,
): tf.Tensor2D {
  return tf.tidy(() => {
    const d = w.shape[1];
    const column = (t: tf.Tensor) => tf.reshape(t, [-1, 1]);
    // (w, c) and (w, c)/s are the same hyperplane: scaling by s = max_i |w_i| keeps w_i² and the
    // sums below in float32's range for the tiny gradients of confident images.
    const largest = tf.max(tf.abs(w), 1);
    const scale = tf.where(tf.greater(largest, 0), largest, tf.onesLike(largest));
    // c ≥ 0 after the flip: v = ±w/s, target = |c|/s.
    const signed = tf.where(tf.less(c, 0), tf.neg(scale), scale);
    const v = tf.div(w, column(signed));
    const target = tf.div(tf.abs(c), scale);
    const positive = tf.greater(v, 0);
    const negative = tf.less(v, 0);
    const active = tf.logicalOr(positive, negative);
    const corner = tf.where(positive, upper, tf.where(negative, lower, tf.zerosLike(v)));
    const q = norm === 'l2' ? tf.square(v) : tf.abs(v);
    const rawBreaks =
      norm === 'l2' ? tf.div(corner, tf.where(active, v, tf.onesLike(v))) : tf.abs(corner);
    const breaks = tf.where(active, tf.minimum(rawBreaks, NEVER), tf.fill(v.shape, NEVER));
    const solved = solveMultipliers(breaks.dataSync(), q.dataSync(), target.dataSync(), d);
    const lambda = tf.tensor1d(solved.lambda);
    const reaches = tf.tensor1d(solved.reaches, 'bool');
    const total = tf.sum(q, 1);
    const direction = norm === 'l2' ? v : tf.sign(v);
    const step = tf.minimum(tf.maximum(tf.mul(direction, column(lambda)), lower), upper);
    // R_K = 0 with some q > 0: the hyperplane misses the box, go to the corner. Σq = 0 (w = 0)
    // or c = 0: no step.
    const misses = tf.logicalAnd(tf.logicalNot(reaches), tf.greater(total, 0));
    const moves = tf.logicalAnd(tf.greater(target, 0), tf.greater(largest, 0));
    const chosen = tf.where(column(misses), corner, step);
    return tf.where(column(moves), chosen, tf.zerosLike(chosen)) as tf.Tensor2D;
  });
}

/**
 * Per row, λ ≥ 0 with g(λ) = Σ_i q_i·min(λ, t_i) = target, by the sorted breaks of the file
 * comment, in float64 (on the CPU: a sort of d numbers per row is cheap there and not in a tensor
 * backend); reaches = 0 where even g(∞) < target (R_K = 0).
 */
function solveMultipliers(
  breaks: ArrayLike<number>,
  weights: ArrayLike<number>,
  targets: ArrayLike<number>,
  d: number,
): { lambda: Float32Array; reaches: Uint8Array } {
  const rows = targets.length;
  const lambda = new Float32Array(rows);
  const reaches = new Uint8Array(rows);
  const order = new Uint32Array(d);
  for (let n = 0; n < rows; n++) {
    const base = n * d;
    const t = (i: number) => breaks[base + i] ?? NEVER;
    const q = (i: number) => weights[base + i] ?? 0;
    for (let i = 0; i < d; i++) order[i] = i;
    order.sort((i, j) => t(i) - t(j));
    const target = targets[n] ?? 0;
    // Walk up the breaks: before break k, g(λ) = P + λ·R with P the clipped coordinates' Σ q·t
    // and R the others' Σ q; stop at the first break where g reaches the target.
    let clipped = 0;
    let rest = 0;
    let unclipped = 0;
    for (let i = 0; i < d; i++) {
      rest += q(i);
      if (q(i) > 0) unclipped++;
    }
    let k = 0;
    for (; k < d && unclipped > 0; k++) {
      const i = order[k] ?? 0;
      if (clipped + t(i) * rest >= target) break;
      clipped += q(i) * t(i);
      rest -= q(i);
      if (q(i) > 0) unclipped--;
    }
    // Every q > 0 clipped and g still below the target: the hyperplane misses the box.
    const reached = unclipped > 0 && k < d && rest > 0;
    reaches[n] = reached ? 1 : 0;
    lambda[n] = reached ? (target - clipped) / rest : 0;
  }
  return { lambda, reaches };
}

/** ‖δ‖ per row of [N,d], in the norm of the projection. */
export function rowNorms(norm: FabNorm, delta: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() =>
    norm === 'l2' ? tf.sqrt(tf.sum(tf.square(delta), 1)) : tf.max(tf.abs(delta), 1),
  ) as tf.Tensor1D;
}
