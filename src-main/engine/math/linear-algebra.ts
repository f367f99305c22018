/**
 * The small dense linear algebra the Gaussian experiments need (d ≤ ~100, float64, plain
 * loops): square row-major matrices, matrix–vector products, dot products, norms and angles.
 * Factorizations live in cholesky.ts and symmetric-eigen.ts.
 */

/** A size×size matrix, row-major: entry (i, j) is data[i·size + j]. */
export interface SquareMatrix {
  size: number;
  data: Float64Array;
}

export function zeroMatrix(size: number): SquareMatrix {
  if (!Number.isInteger(size) || size < 1) {
    throw new Error(`matrix size must be a whole number ≥ 1, got ${size}`);
  }
  return { size, data: new Float64Array(size * size) };
}

export function identityMatrix(size: number): SquareMatrix {
  const out = zeroMatrix(size);
  for (let i = 0; i < size; i++) out.data[i * size + i] = 1;
  return out;
}

/** A matrix from its rows; every row must have as many entries as there are rows. */
export function matrixFromRows(rows: readonly (readonly number[])[]): SquareMatrix {
  const out = zeroMatrix(rows.length);
  rows.forEach((row, i) => {
    if (row.length !== rows.length) {
      throw new Error(
        `a square matrix needs ${rows.length} entries per row, row ${i} has ${row.length}`,
      );
    }
    out.data.set(row, i * rows.length);
  });
  return out;
}

export function matrixToRows(matrix: SquareMatrix): number[][] {
  const { size, data } = matrix;
  return Array.from({ length: size }, (_, i) =>
    Array.from(data.subarray(i * size, (i + 1) * size)),
  );
}

export function entry(matrix: SquareMatrix, row: number, column: number): number {
  return matrix.data[row * matrix.size + column] ?? NaN;
}

/** Diagonal matrix diag(values). */
export function diagonalMatrix(values: ArrayLike<number>): SquareMatrix {
  const out = zeroMatrix(values.length);
  for (let i = 0; i < values.length; i++) out.data[i * values.length + i] = values[i] ?? 0;
  return out;
}

function checkLength(vector: ArrayLike<number>, size: number, what: string): void {
  if (vector.length !== size)
    throw new Error(`${what}: expected length ${size}, got ${vector.length}`);
}

/** M·v. */
export function multiplyMatrixVector(
  matrix: SquareMatrix,
  vector: ArrayLike<number>,
): Float64Array {
  const { size, data } = matrix;
  checkLength(vector, size, 'matrix–vector product');
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    let sum = 0;
    for (let j = 0; j < size; j++) sum += (data[i * size + j] ?? 0) * (vector[j] ?? 0);
    out[i] = sum;
  }
  return out;
}

/** A·B. */
export function multiplyMatrices(a: SquareMatrix, b: SquareMatrix): SquareMatrix {
  if (a.size !== b.size) throw new Error(`matrix product: sizes ${a.size} and ${b.size} differ`);
  const n = a.size;
  const out = zeroMatrix(n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a.data[i * n + k] ?? 0;
      if (aik === 0) continue;
      for (let j = 0; j < n; j++)
        out.data[i * n + j] = (out.data[i * n + j] ?? 0) + aik * (b.data[k * n + j] ?? 0);
    }
  }
  return out;
}

export function transpose(matrix: SquareMatrix): SquareMatrix {
  const n = matrix.size;
  const out = zeroMatrix(n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) out.data[j * n + i] = matrix.data[i * n + j] ?? 0;
  return out;
}

/** Throws unless |M_ij − M_ji| ≤ tolerance·max(1, max|M|) for all i, j. */
export function checkSymmetric(matrix: SquareMatrix, what: string, tolerance = 1e-10): void {
  const n = matrix.size;
  let scale = 1;
  for (const value of matrix.data) {
    if (!Number.isFinite(value)) throw new Error(`${what} has a non-finite entry ${value}`);
    scale = Math.max(scale, Math.abs(value));
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const gap = Math.abs((matrix.data[i * n + j] ?? 0) - (matrix.data[j * n + i] ?? 0));
      if (gap > tolerance * scale) {
        throw new Error(
          `${what} must be symmetric: entries (${i},${j}) and (${j},${i}) differ by ${gap}`,
        );
      }
    }
  }
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  checkLength(b, a.length, 'dot product');
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] ?? 0) * (b[i] ?? 0);
  return sum;
}

/** vᵀ·M·v. */
export function quadraticForm(matrix: SquareMatrix, vector: ArrayLike<number>): number {
  return dot(vector, multiplyMatrixVector(matrix, vector));
}

export function norm2(vector: ArrayLike<number>): number {
  return Math.sqrt(dot(vector, vector));
}

export function norm1(vector: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += Math.abs(vector[i] ?? 0);
  return sum;
}

export function normInfinity(vector: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < vector.length; i++) max = Math.max(max, Math.abs(vector[i] ?? 0));
  return max;
}

/** cos∠(a, b) = aᵀb / (‖a‖₂‖b‖₂); throws for a zero vector (no direction). */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const scale = norm2(a) * norm2(b);
  if (!(scale > 0)) throw new Error('the angle to a zero vector is undefined');
  return Math.max(-1, Math.min(1, dot(a, b) / scale));
}

/** ∠(a, b) in degrees, 0..180. */
export function angleDegrees(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return (Math.acos(cosineSimilarity(a, b)) * 180) / Math.PI;
}

/** A uniformly random orthogonal matrix: Gram–Schmidt (modified) on i.i.d. N(0,1) columns. */
export function randomOrthogonalMatrix(size: number, standardNormal: () => number): SquareMatrix {
  const q = zeroMatrix(size);
  const column = new Float64Array(size);
  for (let j = 0; j < size; j++) {
    let length = 0;
    // A Gaussian column is almost surely independent of the earlier ones; redraw if not.
    while (!(length > 1e-8)) {
      for (let i = 0; i < size; i++) column[i] = standardNormal();
      for (let k = 0; k < j; k++) {
        let projection = 0;
        for (let i = 0; i < size; i++) projection += (q.data[i * size + k] ?? 0) * (column[i] ?? 0);
        for (let i = 0; i < size; i++)
          column[i] = (column[i] ?? 0) - projection * (q.data[i * size + k] ?? 0);
      }
      length = norm2(column);
    }
    for (let i = 0; i < size; i++) q.data[i * size + j] = (column[i] ?? 0) / length;
  }
  return q;
}
