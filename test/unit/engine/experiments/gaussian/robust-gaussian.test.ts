import { describe, expect, it } from 'vitest';
import {
  closedFormAccuracies,
  estimateGaussianModel,
  sampleGaussianModel,
} from '../../../../../src-main/engine/experiments/gaussian/gaussian-model';
import { solvePositiveDefinite } from '../../../../../src-main/engine/math/cholesky';
import {
  dot,
  matrixFromRows,
  multiplyMatrixVector,
  zeroMatrix,
  type SquareMatrix,
} from '../../../../../src-main/engine/math/linear-algebra';
import { simulatedAccuracies } from '../../../../../src-main/engine/experiments/gaussian/linear-classifier';
import {
  normalCdf,
  standardNormalSampler,
} from '../../../../../src-main/engine/math/normal-distribution';
import {
  constructedGaussianModel,
  defaultRobustGaussianConfig,
  runRobustGaussianExperiment,
  type RobustGaussianConfig,
} from '../../../../../src-main/engine/experiments/gaussian/robust-gaussian-experiment';
import {
  expectedSquaredPerturbation,
  lambdaForEpsilon,
  robustClassifier,
  robustEigenvalue,
  standardClassifier,
} from '../../../../../src-main/engine/experiments/gaussian/robust-gaussian-mle';
import {
  matrixFunction,
  symmetricEigen,
} from '../../../../../src-main/engine/math/symmetric-eigen';

/** Four standard errors of a proportion q measured on n samples (plus a hair for q ≈ 0 or 1). */
function samplingTolerance(q: number, n: number): number {
  return 4 * Math.sqrt((q * (1 - q)) / n) + 1e-3;
}

/** Smaller than the default, so the whole file stays fast. */
const small: RobustGaussianConfig = {
  ...defaultRobustGaussianConfig,
  trainSamples: 3000,
  testSamples: 8000,
  curvePoints: 11,
};

describe('robust Gaussian MLE (Ilyas et al. 2019, Theorem 2)', () => {
  it('the Lagrangian adversary against variance s acts like variance s − 1/λ', () => {
    // max_δ (v+δ)²/(2s) − λδ²/2 by a fine grid search, against v²/(2(s − 1/λ)).
    const s = 0.7;
    const lambda = 5;
    const v = 0.9;
    let best = -Infinity;
    for (let i = -200_000; i <= 200_000; i++) {
      const delta = i * 1e-5;
      best = Math.max(best, (v + delta) ** 2 / (2 * s) - (lambda * delta * delta) / 2);
    }
    expect(best).toBeCloseTo((v * v) / (2 * (s - 1 / lambda)), 8);
  });

  it('each robust eigenvalue minimizes the per-direction robust loss', () => {
    // J(s) = σ/(2(s − 1/λ)) + ½ log s is minimized by s = σ/2 + 1/λ + √(σ/λ + σ²/4).
    for (const [sigma, lambda] of [
      [1, 2],
      [0.01, 40],
      [3, 0.5],
    ] as const) {
      const s = robustEigenvalue(sigma, lambda);
      const loss = (t: number): number => sigma / (2 * (t - 1 / lambda)) + 0.5 * Math.log(t);
      expect(s).toBeGreaterThan(1 / lambda);
      expect(sigma * s).toBeCloseTo((s - 1 / lambda) ** 2, 12);
      for (const factor of [0.99, 0.999, 1.001, 1.01])
        expect(loss(s)).toBeLessThan(loss(s * factor));
    }
    expect(robustEigenvalue(0.3, Infinity)).toBe(0.3);
  });

  it('Σ_r minimizes ½tr((Σ − I/λ)⁻¹Σ*) + ½log|Σ| over symmetric matrices, not just eigenvalues', () => {
    const data = matrixFromRows([
      [1.0, 0.3, -0.2],
      [0.3, 0.5, 0.1],
      [-0.2, 0.1, 0.2],
    ]);
    const lambda = 3;
    const eigen = symmetricEigen(data);
    const robust = matrixFunction(eigen, (sigma) => robustEigenvalue(sigma, lambda));
    const objective = (sigma: SquareMatrix): number => {
      const d = sigma.size;
      const shrunk = zeroMatrix(d);
      shrunk.data.set(sigma.data);
      for (let i = 0; i < d; i++)
        shrunk.data[i * d + i] = (shrunk.data[i * d + i] ?? 0) - 1 / lambda;
      let trace = 0;
      for (let j = 0; j < d; j++) {
        const column = Array.from({ length: d }, (_, i) => data.data[i * d + j] ?? 0);
        trace += solvePositiveDefinite(shrunk, column)[j] ?? NaN;
      }
      const logDeterminant = symmetricEigen(sigma).values.reduce(
        (sum, value) => sum + Math.log(value),
        0,
      );
      return trace / 2 + logDeterminant / 2;
    };
    const base = objective(robust);
    const normal = standardNormalSampler(2);
    for (let trial = 0; trial < 20; trial++) {
      const moved = zeroMatrix(3);
      moved.data.set(robust.data);
      for (let i = 0; i < 3; i++) {
        for (let j = i; j < 3; j++) {
          const step = 0.01 * normal();
          moved.data[i * 3 + j] = (moved.data[i * 3 + j] ?? 0) + step;
          if (j !== i) moved.data[j * 3 + i] = (moved.data[j * 3 + i] ?? 0) + step;
        }
      }
      expect(objective(moved)).toBeGreaterThan(base);
    }
  });

  it('λ makes the training adversary perturb by ε in root-mean-square', () => {
    const variances = [0.01, 0.02, 0.5, 1, 2];
    let previous = Infinity;
    for (const epsilon of [0.05, 0.2, 0.5, 1, 3]) {
      const lambda = lambdaForEpsilon(variances, epsilon);
      expect(lambda).toBeLessThan(previous);
      previous = lambda;
      expect(Math.sqrt(expectedSquaredPerturbation(variances, lambda))).toBeCloseTo(epsilon, 9);
    }
    expect(lambdaForEpsilon(variances, 0)).toBe(Infinity);
    expect(() => lambdaForEpsilon(variances, -1)).toThrow(/ε must be a finite number ≥ 0/);
    expect(() => lambdaForEpsilon([1, 0], 0.5)).toThrow(/eigenvalue 0 is not positive/);
  });

  it('E‖δ*‖² agrees with simulated adversarial perturbations δ* = (λΣ_r − I)⁻¹v', () => {
    const model = constructedGaussianModel({
      ...small,
      robustDirections: 3,
      nonRobustDirections: 3,
    });
    const eigen = symmetricEigen(model.covariance);
    const epsilon = 0.4;
    const lambda = lambdaForEpsilon(eigen.values, epsilon);
    // (λΣ_r − I)⁻¹ as a matrix function of Σ*.
    const inverse = matrixFunction(
      eigen,
      (sigma) => 1 / (lambda * robustEigenvalue(sigma, lambda) - 1),
    );
    const noise = sampleGaussianModel(
      { mean: new Float64Array(6), covariance: model.covariance },
      20_000,
      4,
    );
    let sum = 0;
    const squares: number[] = [];
    for (let n = 0; n < 20_000; n++) {
      const delta = multiplyMatrixVector(inverse, noise.points.subarray(n * 6, n * 6 + 6));
      const square = dot(delta, delta);
      sum += square;
      squares.push(square);
    }
    const mean = sum / 20_000;
    const spread = Math.sqrt(squares.reduce((s, q) => s + (q - mean) ** 2, 0) / 20_000);
    expect(Math.abs(mean - epsilon * epsilon)).toBeLessThan((4 * spread) / Math.sqrt(20_000));
  });

  it('the robust classifier at ε = 0 is the standard one', () => {
    const model = constructedGaussianModel(small);
    const standard = standardClassifier(model);
    const robust = robustClassifier(model, 0).weights;
    for (let i = 0; i < standard.length; i++) expect(robust[i]).toBeCloseTo(standard[i] ?? NaN, 9);
  });
});

describe('binary Gaussian model', () => {
  it('estimates μ and Σ from samples', () => {
    const truth = constructedGaussianModel({
      ...small,
      robustDirections: 2,
      nonRobustDirections: 2,
    });
    const estimate = estimateGaussianModel(sampleGaussianModel(truth, 40_000, 1));
    for (let i = 0; i < 4; i++)
      expect(Math.abs((estimate.mean[i] ?? NaN) - (truth.mean[i] ?? NaN))).toBeLessThan(0.02);
    for (let i = 0; i < 16; i++) {
      expect(
        Math.abs((estimate.covariance.data[i] ?? NaN) - (truth.covariance.data[i] ?? NaN)),
      ).toBeLessThan(0.03);
    }
  });

  it('the standard classifier of the true model reaches the Bayes accuracy Φ(√(μᵀΣ⁻¹μ))', () => {
    const truth = constructedGaussianModel(small);
    const w = standardClassifier(truth);
    const [clean] = closedFormAccuracies(w, truth, [0], 'l2');
    expect(clean).toBeCloseTo(normalCdf(Math.sqrt(dot(truth.mean, w))), 12);
    // With Σ = I the classifier is μ itself: Φ(‖μ‖) clean, Φ(‖μ‖ − ε) under ℓ2 attack.
    const isotropic = {
      mean: Float64Array.from([0.6, 0.8]),
      covariance: matrixFromRows([
        [1, 0],
        [0, 1],
      ]),
    };
    const [c, r] = closedFormAccuracies(standardClassifier(isotropic), isotropic, [0, 0.5], 'l2');
    expect(c).toBeCloseTo(normalCdf(1), 12);
    expect(r).toBeCloseTo(normalCdf(0.5), 12);
  });

  it('closed-form and simulated accuracies agree within sampling error, for both ℓ2 and ℓ∞', () => {
    const truth = constructedGaussianModel(small);
    const test = sampleGaussianModel(truth, 20_000, 8);
    const w = standardClassifier(truth);
    const epsilons = [0, 0.02, 0.05, 0.1, 0.2];
    for (const norm of ['l2', 'linf'] as const) {
      const closed = closedFormAccuracies(w, truth, epsilons, norm);
      const simulated = simulatedAccuracies(w, test, epsilons, norm);
      closed.forEach((q, i) =>
        expect(Math.abs((simulated[i] ?? NaN) - q)).toBeLessThan(samplingTolerance(q, 20_000)),
      );
    }
  });

  it('refuses bad configurations', () => {
    expect(() => constructedGaussianModel({ ...small, robustDirections: 0 })).toThrow(
      /robust directions must be a whole number ≥ 1/,
    );
    expect(() =>
      constructedGaussianModel({ ...small, robustDirections: 60, nonRobustDirections: 50 }),
    ).toThrow(/at most 100, got 110/);
    expect(() => constructedGaussianModel({ ...small, nonRobustVariance: 0 })).toThrow(
      /non-robust variance must be a finite number > 0/,
    );
    expect(() => constructedGaussianModel({ ...small, trainSamples: 5 })).toThrow(
      /training samples must be a whole number ≥ 2·dimension = 20/,
    );
    expect(() => constructedGaussianModel({ ...small, robustMean: 0, nonRobustMean: 0 })).toThrow(
      /class means coincide/,
    );
    expect(() => runRobustGaussianExperiment({ ...small, curvePoints: 1 })).toThrow(
      /ε grid needs a whole number ≥ 2 of points/,
    );
  });
});

describe('robust Gaussian experiment', () => {
  const result = runRobustGaussianExperiment(small);

  it('closed forms match the simulation for both classifiers along the whole curve', () => {
    for (const report of [result.standard, result.robust]) {
      report.curve.closedForm.forEach((q, i) => {
        expect(Math.abs((report.curve.simulated[i] ?? NaN) - q)).toBeLessThan(
          samplingTolerance(q, small.testSamples),
        );
      });
      for (const pair of [report.cleanAccuracy, report.robustAccuracy]) {
        expect(Math.abs(pair.simulated - pair.closedForm)).toBeLessThan(
          samplingTolerance(pair.closedForm, small.testSamples),
        );
      }
    }
  });

  it('the robust classifier is more aligned with μ, more robust and less accurate', () => {
    expect(result.robust.angleToMeanDegrees).toBeLessThan(result.standard.angleToMeanDegrees - 10);
    expect(result.angleBetweenClassifiersDegrees).toBeGreaterThan(10);
    expect(result.robust.robustAccuracy.closedForm).toBeGreaterThan(
      result.standard.robustAccuracy.closedForm + 0.3,
    );
    expect(result.robust.cleanAccuracy.closedForm).toBeLessThan(
      result.standard.cleanAccuracy.closedForm,
    );
    // Stronger robust training turns w_r further towards μ.
    const angles = result.trainingSweep.angleToMeanDegrees;
    for (let i = 1; i < angles.length; i++) expect(angles[i]).toBeLessThan(angles[i - 1] ?? 0);
    expect(angles[0]).toBeCloseTo(result.standard.angleToMeanDegrees, 6);
  });

  it('without non-robust directions (isotropic Σ) both classifiers point along μ', () => {
    const isotropic = runRobustGaussianExperiment({ ...small, nonRobustDirections: 0 });
    expect(isotropic.standard.angleToMeanDegrees).toBeLessThan(5);
    expect(isotropic.robust.angleToMeanDegrees).toBeLessThan(5);
  });

  it('is reproducible from the seed', () => {
    const again = runRobustGaussianExperiment(small);
    expect(again.standard.weights).toEqual(result.standard.weights);
    expect(again.robust.curve.simulated).toEqual(result.robust.curve.simulated);
    const other = runRobustGaussianExperiment({ ...small, seed: 1 });
    expect(other.standard.weights).not.toEqual(result.standard.weights);
  });
});
