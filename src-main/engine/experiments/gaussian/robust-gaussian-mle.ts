/**
 * Adversarially robust maximum-likelihood learning of the binary Gaussian model
 * (Ilyas et al. 2019, §4, Theorem 2), and the classifiers the standard and robust parameters
 * induce.
 *
 * Standard MLE: Θ = (μ, Σ) minimizes E[ℓ(x; y·μ, Σ)], ℓ the Gaussian negative log-likelihood
 *   ℓ(x; m, Σ) = ½(x − m)ᵀΣ⁻¹(x − m) + ½ log|Σ| + const,
 * giving the sample mean and covariance; its classifier is the likelihood-ratio test
 * sign(wᵀx) with w = Σ⁻¹μ.
 *
 * Robust MLE: Θ_r minimizes E[max_δ ℓ(x + δ; y·μ, Σ)] with an ℓ2-bounded δ. As in the paper we
 * take the adversary in its Lagrangian (penalty) form, max_δ ℓ(x + δ) − (λ/2)‖δ‖², λ > 0 the
 * multiplier of the ε-constraint. Derivation, with v = x − y·μ:
 *   1. Inner max. ∂/∂δ: Σ⁻¹(v + δ) − λδ = 0 ⇒ δ* = (λΣ − I)⁻¹ v (needs λΣ ≻ I), and the value is
 *      ½ vᵀ(Σ − I/λ)⁻¹ v + ½ log|Σ| — the adversary acts like a covariance shrunk by 1/λ.
 *      (Per eigenvalue s of Σ and coordinate v: (v+δ)²/(2s) − λδ²/2 at δ = v/(λs − 1) equals
 *      v²/(2(s − 1/λ)).)
 *   2. Mean: for any Σ, E over v of the first term is minimized by E[v] = 0, so μ_r = μ (the
 *      paper's μ_r = μ*).
 *   3. Covariance: with E[vvᵀ] = Σ* (the data covariance) the objective is
 *      ½ tr((Σ − I/λ)⁻¹ Σ*) + ½ log|Σ|. It is minimized by a Σ sharing Σ*'s eigenvectors; per
 *      eigenvalue σ of Σ* and s of Σ:  σ/(2(s − 1/λ)) + ½ log s. Setting the derivative to zero,
 *      −σ/(s − 1/λ)² + 1/s = 0 ⇔ s² − (σ + 2/λ)s + 1/λ² = 0, whose root with s > 1/λ is
 *        s = σ/2 + 1/λ + √(σ/λ + σ²/4),
 *      i.e. Σ_r = ½Σ* + (1/λ)I + √((1/λ)Σ* + ¼Σ*²) — the formula of Theorem 2.
 *   The robust classifier is then w_r = Σ_r⁻¹ μ. As λ → ∞ (ε → 0) Σ_r → Σ*; as λ → 0, Σ_r is
 *   dominated by (1/λ)I, so w_r turns towards μ itself: small-variance directions, which w = Σ⁻¹μ
 *   weights by 1/σ, lose that boost.
 *
 * λ from ε. Theorem 2 only bounds λ in terms of ε. Here λ is fixed by making the ε-constraint
 * bind on average: E‖δ*‖² = ε², with δ* = (λΣ_r − I)⁻¹v, v ~ N(0, Σ*):
 *   E‖δ*‖² = Σ_i σ_i / (λ s_i − 1)².
 * Writing t = λσ, λs − 1 = t/2 + √(t + t²/4), which grows with t, so each term (and the sum)
 * falls strictly from ∞ (λ → 0) to 0 (λ → ∞): exactly one λ matches each ε > 0 (found by
 * bisection on log λ). ε is thus the root-mean-square ℓ2 size of the training adversary's
 * perturbation — a modelling choice of this implementation, recorded with the results.
 */
import { solvePositiveDefinite } from '../../math/cholesky';
import type { GaussianModel } from './gaussian-model';
import {
  applyMatrixFunction,
  symmetricEigen,
  type SymmetricEigen,
} from '../../math/symmetric-eigen';

/** s = σ/2 + 1/λ + √(σ/λ + σ²/4): robust covariance eigenvalue for data variance σ (λ = ∞ ⇒ s = σ). */
export function robustEigenvalue(variance: number, lambda: number): number {
  if (lambda === Infinity) return variance;
  const inverse = 1 / lambda;
  return variance / 2 + inverse + Math.sqrt(variance * inverse + (variance * variance) / 4);
}

/** E‖δ*‖² = Σ_i σ_i/(λ s_i − 1)² of the Lagrangian adversary against Σ_r(λ). */
export function expectedSquaredPerturbation(variances: ArrayLike<number>, lambda: number): number {
  if (lambda === Infinity) return 0;
  let sum = 0;
  for (let i = 0; i < variances.length; i++) {
    const sigma = variances[i] ?? 0;
    const t = lambda * sigma;
    // λs − 1 = t/2 + √(t + t²/4), written without the cancellation of λs − 1.
    const gap = t / 2 + Math.sqrt(t + (t * t) / 4);
    if (gap > 0) sum += sigma / (gap * gap);
  }
  return sum;
}

/**
 * The λ with E‖δ*‖² = ε² (see the file comment); ε = 0 gives λ = ∞ (no adversary).
 * Bisection on log λ to a relative width of 10⁻¹².
 */
export function lambdaForEpsilon(variances: ArrayLike<number>, epsilon: number): number {
  if (!(epsilon >= 0) || !Number.isFinite(epsilon))
    throw new Error(`ε must be a finite number ≥ 0, got ${epsilon}`);
  for (let i = 0; i < variances.length; i++) {
    if (!((variances[i] ?? NaN) > 0))
      throw new Error(`covariance eigenvalue ${variances[i]} is not positive`);
  }
  if (epsilon === 0) return Infinity;
  const target = epsilon * epsilon;
  let low = 1;
  let high = 1;
  while (expectedSquaredPerturbation(variances, low) <= target) low /= 2;
  while (expectedSquaredPerturbation(variances, high) > target) high *= 2;
  // Invariant: E(low) > ε² ≥ E(high).
  while (high / low > 1 + 1e-12) {
    const middle = Math.sqrt(low * high);
    if (expectedSquaredPerturbation(variances, middle) > target) low = middle;
    else high = middle;
  }
  return Math.sqrt(low * high);
}

export interface RobustGaussianFit {
  /** The multiplier λ used (∞ for ε = 0). */
  lambda: number;
  /** Eigenvalues of the data covariance Σ*, ascending. */
  dataEigenvalues: number[];
  /** Eigenvalues s_i of Σ_r, in the same eigenvector order. */
  robustEigenvalues: number[];
  /** w_r = Σ_r⁻¹μ. */
  weights: Float64Array;
}

/** w = Σ⁻¹μ, the standard maximum-likelihood classifier. */
export function standardClassifier(model: GaussianModel): Float64Array {
  return solvePositiveDefinite(model.covariance, model.mean, 'covariance');
}

/** Robust parameters and classifier at training ε (λ from lambdaForEpsilon). */
export function robustClassifier(
  model: GaussianModel,
  epsilon: number,
  eigen: SymmetricEigen = symmetricEigen(model.covariance, 'covariance'),
): RobustGaussianFit {
  const lambda = lambdaForEpsilon(eigen.values, epsilon);
  const weights = applyMatrixFunction(
    eigen,
    (sigma) => 1 / robustEigenvalue(sigma, lambda),
    model.mean,
  );
  return {
    lambda,
    dataEigenvalues: Array.from(eigen.values),
    robustEigenvalues: Array.from(eigen.values, (sigma) => robustEigenvalue(sigma, lambda)),
    weights,
  };
}
