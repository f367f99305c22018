/**
 * Eigendecomposition A = Q·diag(λ)·Qᵀ of a real symmetric matrix by the cyclic Jacobi method
 * (Golub & Van Loan, Matrix Computations, §8.5): sweep over the off-diagonal pairs (p, q) and
 * zero each with a plane rotation J(p, q, θ), A ← Jᵀ·A·J, accumulating Q ← Q·J. Each rotation
 * lowers off(A)² = Σ_{i≠j} A_ij² by 2·A_pq², so the sweeps converge (quadratically in the end);
 * for d ≤ 100 a handful of sweeps of O(d³) work each.
 *
 * For the pair (p, q) (GVL Algorithm 8.5.1, sym.schur2):
 *   τ = (A_qq − A_pp) / (2·A_pq),  t = sign(τ) / (|τ| + √(1 + τ²)),  c = 1/√(1 + t²),  s = t·c,
 * and J is the identity except J_pp = J_qq = c, J_pq = s, J_qp = −s.
 */
import { checkSymmetric, zeroMatrix, type SquareMatrix } from './linear-algebra';

export interface SymmetricEigen {
  /** Eigenvalues, ascending. */
  values: Float64Array;
  /** Orthogonal Q whose column i is the unit eigenvector of values[i]. */
  vectors: SquareMatrix;
}

const MAX_SWEEPS = 100;

function offDiagonalSquared(a: Float64Array, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) if (i !== j) sum += (a[i * n + j] ?? 0) ** 2;
  return sum;
}

export function symmetricEigen(matrix: SquareMatrix, what = 'matrix'): SymmetricEigen {
  checkSymmetric(matrix, what);
  const n = matrix.size;
  const a = Float64Array.from(matrix.data);
  const q = zeroMatrix(n);
  const v = q.data;
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let total = 0;
  for (const value of a) total += value * value;
  // Converged when the off-diagonal mass is negligible next to the whole matrix.
  const tolerance = (Number.EPSILON * 16) ** 2 * Math.max(total, Number.MIN_VALUE);

  let sweep = 0;
  while (offDiagonalSquared(a, n) > tolerance) {
    if (++sweep > MAX_SWEEPS) throw new Error(`${what}: Jacobi eigensolver did not converge`);
    for (let p = 0; p < n - 1; p++) {
      for (let r = p + 1; r < n; r++) {
        const apr = a[p * n + r] ?? 0;
        if (apr === 0) continue;
        const tau = ((a[r * n + r] ?? 0) - (a[p * n + p] ?? 0)) / (2 * apr);
        const t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        // A ← A·J (columns p, r), then A ← Jᵀ·A (rows p, r), then Q ← Q·J.
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p] ?? 0;
          const akr = a[k * n + r] ?? 0;
          a[k * n + p] = c * akp - s * akr;
          a[k * n + r] = s * akp + c * akr;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k] ?? 0;
          const ark = a[r * n + k] ?? 0;
          a[p * n + k] = c * apk - s * ark;
          a[r * n + k] = s * apk + c * ark;
        }
        // The rotation was chosen to zero this pair; set it exactly to stop rounding residue.
        a[p * n + r] = 0;
        a[r * n + p] = 0;
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p] ?? 0;
          const vkr = v[k * n + r] ?? 0;
          v[k * n + p] = c * vkp - s * vkr;
          v[k * n + r] = s * vkp + c * vkr;
        }
      }
    }
  }

  const order = Array.from({ length: n }, (_, i) => i).sort(
    (i, j) => (a[i * n + i] ?? 0) - (a[j * n + j] ?? 0),
  );
  const values = Float64Array.from(order, (i) => a[i * n + i] ?? NaN);
  const vectors = zeroMatrix(n);
  order.forEach((from, to) => {
    for (let k = 0; k < n; k++) vectors.data[k * n + to] = v[k * n + from] ?? 0;
  });
  return { values, vectors };
}

/** f(A) = Q·diag(f(λ))·Qᵀ for A = Q·diag(λ)·Qᵀ. */
export function matrixFunction(
  eigen: SymmetricEigen,
  f: (eigenvalue: number) => number,
): SquareMatrix {
  const { values, vectors } = eigen;
  const n = values.length;
  const mapped = Float64Array.from(values, f);
  const out = zeroMatrix(n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let sum = 0;
      for (let k = 0; k < n; k++) {
        sum += (vectors.data[i * n + k] ?? 0) * (mapped[k] ?? 0) * (vectors.data[j * n + k] ?? 0);
      }
      out.data[i * n + j] = sum;
      out.data[j * n + i] = sum;
    }
  }
  return out;
}

/** f(A)·x = Q·diag(f(λ))·Qᵀ·x without forming f(A). */
export function applyMatrixFunction(
  eigen: SymmetricEigen,
  f: (eigenvalue: number) => number,
  vector: ArrayLike<number>,
): Float64Array {
  const { values, vectors } = eigen;
  const n = values.length;
  if (vector.length !== n)
    throw new Error(`expected a vector of length ${n}, got ${vector.length}`);
  const coordinates = new Float64Array(n); // Qᵀ·x, scaled by f(λ)
  for (let k = 0; k < n; k++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += (vectors.data[i * n + k] ?? 0) * (vector[i] ?? 0);
    coordinates[k] = sum * f(values[k] ?? NaN);
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let k = 0; k < n; k++) sum += (vectors.data[i * n + k] ?? 0) * (coordinates[k] ?? 0);
    out[i] = sum;
  }
  return out;
}
