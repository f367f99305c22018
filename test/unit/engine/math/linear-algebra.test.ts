import { describe, expect, it } from 'vitest';
import {
  choleskyFactor,
  choleskySolve,
  solvePositiveDefinite,
} from '../../../../src-main/engine/math/cholesky';
import {
  angleDegrees,
  entry,
  identityMatrix,
  matrixFromRows,
  matrixToRows,
  multiplyMatrices,
  multiplyMatrixVector,
  randomOrthogonalMatrix,
  transpose,
  zeroMatrix,
  type SquareMatrix,
} from '../../../../src-main/engine/math/linear-algebra';
import {
  complementaryErrorFunction,
  normalCdf,
  standardNormalSampler,
} from '../../../../src-main/engine/math/normal-distribution';
import {
  applyMatrixFunction,
  matrixFunction,
  symmetricEigen,
} from '../../../../src-main/engine/math/symmetric-eigen';

function maxAbsoluteDifference(a: SquareMatrix, b: SquareMatrix): number {
  let worst = 0;
  for (let i = 0; i < a.data.length; i++) {
    worst = Math.max(worst, Math.abs((a.data[i] ?? NaN) - (b.data[i] ?? NaN)));
  }
  return worst;
}

/** A random symmetric positive definite matrix B·Bᵀ + I. */
function randomPositiveDefinite(size: number, seed: number): SquareMatrix {
  const normal = standardNormalSampler(seed);
  const b = zeroMatrix(size);
  for (let i = 0; i < b.data.length; i++) b.data[i] = normal();
  const out = multiplyMatrices(b, transpose(b));
  for (let i = 0; i < size; i++) out.data[i * size + i] = (out.data[i * size + i] ?? 0) + 1;
  return out;
}

describe('Cholesky', () => {
  it('factors a known matrix exactly', () => {
    // The textbook example: A = L·Lᵀ with L = [[2,0,0],[6,1,0],[−8,5,3]].
    const a = matrixFromRows([
      [4, 12, -16],
      [12, 37, -43],
      [-16, -43, 98],
    ]);
    expect(matrixToRows(choleskyFactor(a))).toEqual([
      [2, 0, 0],
      [6, 1, 0],
      [-8, 5, 3],
    ]);
    const x = solvePositiveDefinite(a, [1, 2, 3]);
    const back = multiplyMatrixVector(a, x);
    [1, 2, 3].forEach((value, i) => expect(back[i]).toBeCloseTo(value, 10));
  });

  it('solves a random 40×40 system', () => {
    const a = randomPositiveDefinite(40, 3);
    const b = Array.from({ length: 40 }, (_, i) => Math.sin(i));
    const x = choleskySolve(choleskyFactor(a), b);
    const back = multiplyMatrixVector(a, x);
    for (let i = 0; i < 40; i++)
      expect(Math.abs((back[i] ?? NaN) - (b[i] ?? NaN))).toBeLessThan(1e-9);
  });

  it('refuses matrices that are not symmetric positive definite', () => {
    expect(() =>
      choleskyFactor(
        matrixFromRows([
          [1, 2],
          [2, 1],
        ]),
        'covariance',
      ),
    ).toThrow(/covariance is not positive definite/);
    expect(() =>
      choleskyFactor(
        matrixFromRows([
          [1, 0.5],
          [0, 1],
        ]),
      ),
    ).toThrow(/must be symmetric/);
    expect(() => matrixFromRows([[1, 2], [3]])).toThrow(/needs 2 entries per row, row 1 has 1/);
  });
});

describe('Jacobi eigendecomposition', () => {
  it('finds the eigenpairs of known matrices', () => {
    const two = symmetricEigen(
      matrixFromRows([
        [2, 1],
        [1, 2],
      ]),
    );
    expect(two.values[0]).toBeCloseTo(1, 14);
    expect(two.values[1]).toBeCloseTo(3, 14);
    // Eigenvector of 3 is ±(1,1)/√2.
    expect(Math.abs(entry(two.vectors, 0, 1))).toBeCloseTo(Math.SQRT1_2, 14);
    expect(entry(two.vectors, 0, 1) * entry(two.vectors, 1, 1)).toBeGreaterThan(0);

    // The 1-D Laplacian: eigenvalues 2 − √2, 2, 2 + √2.
    const laplacian = symmetricEigen(
      matrixFromRows([
        [2, -1, 0],
        [-1, 2, -1],
        [0, -1, 2],
      ]),
    );
    const expected = [2 - Math.SQRT2, 2, 2 + Math.SQRT2];
    expected.forEach((value, i) => expect(laplacian.values[i]).toBeCloseTo(value, 13));

    const diagonal = symmetricEigen(
      matrixFromRows([
        [3, 0],
        [0, -1],
      ]),
    );
    expect(Array.from(diagonal.values)).toEqual([-1, 3]);
  });

  it('reconstructs a random 50×50 matrix with orthonormal eigenvectors', () => {
    const a = randomPositiveDefinite(50, 9);
    const { values, vectors } = symmetricEigen(a);
    for (let i = 1; i < values.length; i++)
      expect(values[i]).toBeGreaterThanOrEqual(values[i - 1] ?? 0);
    expect(
      maxAbsoluteDifference(multiplyMatrices(transpose(vectors), vectors), identityMatrix(50)),
    ).toBeLessThan(1e-12);
    const rebuilt = matrixFunction({ values, vectors }, (value) => value);
    expect(maxAbsoluteDifference(rebuilt, a)).toBeLessThan(1e-10 * 50);
  });

  it('applies matrix functions: √A·√A = A and A⁻¹b matches the Cholesky solve', () => {
    const a = randomPositiveDefinite(20, 5);
    const eigen = symmetricEigen(a);
    const root = matrixFunction(eigen, Math.sqrt);
    expect(maxAbsoluteDifference(multiplyMatrices(root, root), a)).toBeLessThan(1e-9);
    const b = Array.from({ length: 20 }, (_, i) => i - 10);
    const viaEigen = applyMatrixFunction(eigen, (value) => 1 / value, b);
    const viaCholesky = solvePositiveDefinite(a, b);
    for (let i = 0; i < 20; i++) expect(viaEigen[i]).toBeCloseTo(viaCholesky[i] ?? NaN, 10);
  });
});

describe('vectors and random rotations', () => {
  it('measures angles and refuses zero vectors', () => {
    expect(angleDegrees([1, 0], [0, 2])).toBeCloseTo(90, 12);
    expect(angleDegrees([1, 1], [2, 2])).toBeCloseTo(0, 5);
    expect(angleDegrees([1, 0], [-1, 0])).toBeCloseTo(180, 12);
    expect(() => angleDegrees([0, 0], [1, 0])).toThrow(/zero vector/);
  });

  it('draws orthogonal matrices, the same from the same seed', () => {
    const q = randomOrthogonalMatrix(30, standardNormalSampler(1));
    expect(
      maxAbsoluteDifference(multiplyMatrices(transpose(q), q), identityMatrix(30)),
    ).toBeLessThan(1e-12);
    expect(randomOrthogonalMatrix(30, standardNormalSampler(1)).data).toEqual(q.data);
  });
});

describe('normal distribution', () => {
  it('matches reference values of Φ', () => {
    // Reference values (scipy.stats.norm.cdf).
    const reference: [number, number][] = [
      [0, 0.5],
      [1, 0.8413447460685429],
      [2, 0.9772498680518208],
      [-2, 0.022750131948179195],
      [-3, 0.0013498980316301035],
      [0.5, 0.6914624612740131],
    ];
    for (const [x, value] of reference) expect(Math.abs(normalCdf(x) - value)).toBeLessThan(2e-7);
    // Relative accuracy in the far tail: Φ(−6) = 9.865876450376946e−10.
    expect(Math.abs(normalCdf(-6) / 9.865876450376946e-10 - 1)).toBeLessThan(1e-6);
    expect(normalCdf(Infinity)).toBe(1);
    expect(normalCdf(-Infinity)).toBe(0);
    expect(complementaryErrorFunction(0)).toBeCloseTo(1, 7);
  });

  it('samples N(0,1) reproducibly from a seed', () => {
    const normal = standardNormalSampler(7);
    const count = 200_000;
    let sum = 0;
    let squares = 0;
    let belowOne = 0;
    for (let i = 0; i < count; i++) {
      const z = normal();
      sum += z;
      squares += z * z;
      if (z < 1) belowOne++;
    }
    expect(Math.abs(sum / count)).toBeLessThan(4 / Math.sqrt(count));
    expect(Math.abs(squares / count - 1)).toBeLessThan(4 * Math.sqrt(2 / count));
    expect(Math.abs(belowOne / count - normalCdf(1))).toBeLessThan(4 * Math.sqrt(0.134 / count));
    const a = standardNormalSampler(11);
    const b = standardNormalSampler(11);
    for (let i = 0; i < 5; i++) expect(a()).toBe(b());
  });
});
