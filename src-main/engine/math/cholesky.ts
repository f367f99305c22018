/**
 * Cholesky factorization A = L·Lᵀ of a symmetric positive definite matrix (L lower triangular
 * with a positive diagonal), and solving A·x = b with it by forward then back substitution:
 *   L·z = b,   Lᵀ·x = z.
 * Used to sample x = μ + L·ξ ~ N(μ, Σ) from ξ ~ N(0, I), and for w = Σ⁻¹μ.
 */
import { checkSymmetric, zeroMatrix, type SquareMatrix } from './linear-algebra';

export function choleskyFactor(matrix: SquareMatrix, what = 'matrix'): SquareMatrix {
  checkSymmetric(matrix, what);
  const n = matrix.size;
  const a = matrix.data;
  const lower = zeroMatrix(n);
  const l = lower.data;
  for (let j = 0; j < n; j++) {
    // L_jj = sqrt(A_jj − Σ_{k<j} L_jk²)
    let diagonal = a[j * n + j] ?? 0;
    for (let k = 0; k < j; k++) diagonal -= (l[j * n + k] ?? 0) ** 2;
    if (!(diagonal > 0)) {
      throw new Error(`${what} is not positive definite (pivot ${j} is ${diagonal})`);
    }
    const ljj = Math.sqrt(diagonal);
    l[j * n + j] = ljj;
    // L_ij = (A_ij − Σ_{k<j} L_ik·L_jk) / L_jj for i > j
    for (let i = j + 1; i < n; i++) {
      let sum = a[i * n + j] ?? 0;
      for (let k = 0; k < j; k++) sum -= (l[i * n + k] ?? 0) * (l[j * n + k] ?? 0);
      l[i * n + j] = sum / ljj;
    }
  }
  return lower;
}

/** x with (L·Lᵀ)·x = b, for L from choleskyFactor. */
export function choleskySolve(lower: SquareMatrix, rightHandSide: ArrayLike<number>): Float64Array {
  const n = lower.size;
  const l = lower.data;
  if (rightHandSide.length !== n) {
    throw new Error(
      `Cholesky solve: the right-hand side has ${rightHandSide.length} entries, expected ${n}`,
    );
  }
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = rightHandSide[i] ?? 0;
    for (let k = 0; k < i; k++) sum -= (l[i * n + k] ?? 0) * (z[k] ?? 0);
    z[i] = sum / (l[i * n + i] ?? NaN);
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = z[i] ?? 0;
    for (let k = i + 1; k < n; k++) sum -= (l[k * n + i] ?? 0) * (x[k] ?? 0);
    x[i] = sum / (l[i * n + i] ?? NaN);
  }
  return x;
}

/** x = A⁻¹·b for symmetric positive definite A. */
export function solvePositiveDefinite(
  matrix: SquareMatrix,
  rightHandSide: ArrayLike<number>,
  what = 'matrix',
): Float64Array {
  return choleskySolve(choleskyFactor(matrix, what), rightHandSide);
}
