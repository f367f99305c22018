/**
 * The L2 Square attack's update shape (Andriushchenko et al. 2020, §3.2): a "meta-pattern" of two
 * stacks of nested squares with opposite signs, each stack peaked at its centre and falling off
 * like a Gaussian, so that the mass an update moves sits in the middle of the window.
 *
 * Nested squares on an r×q rectangle, centre (⌊r/2⌋, ⌊q/2⌋), Chebyshev distance
 * d(i, j) = max(|i − ⌊r/2⌋|, |j − ⌊q/2⌋|) and K = max(⌊r/2⌋, ⌊q/2⌋) + 1 squares:
 *   η(i, j) = Σ_{k = d(i,j)}^{K−1} 1/(k + 1)²     (square k adds 1/(k+1)² to every pixel inside it)
 * normalized to ‖η‖₂ = 1. The meta-pattern on an s×s window: rows [0, ⌊s/2⌋) hold +η, rows
 * [⌊s/2⌋, s) hold −η (each stack on its own half), normalized to ‖·‖₂ = 1 and transposed with
 * probability ½ (then the halves are left and right). Row-major Float64Arrays, no tensors.
 */

/** η on an r×q rectangle, row-major, unit L2 norm (empty when r or q is 0). */
export function nestedSquares(rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  if (out.length === 0) return out;
  const centreRow = Math.floor(rows / 2);
  const centreCol = Math.floor(cols / 2);
  const squares = Math.max(centreRow, centreCol) + 1;
  // tail[d] = Σ_{k=d}^{K−1} 1/(k+1)²
  const tail = new Float64Array(squares + 1);
  for (let k = squares - 1; k >= 0; k--) tail[k] = (tail[k + 1] ?? 0) + 1 / (k + 1) ** 2;
  let sumOfSquares = 0;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const distance = Math.max(Math.abs(i - centreRow), Math.abs(j - centreCol));
      const value = tail[distance] ?? 0;
      out[i * cols + j] = value;
      sumOfSquares += value * value;
    }
  }
  const norm = Math.sqrt(sumOfSquares);
  for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) / norm;
  return out;
}

/** The s×s meta-pattern, row-major, unit L2 norm; `transpose` swaps rows and columns. */
export function metaPattern(side: number, transpose: boolean): Float64Array {
  if (!Number.isInteger(side) || side < 1) {
    throw new Error(`the square side must be a whole number ≥ 1, got ${side}`);
  }
  const half = Math.floor(side / 2);
  const upper = nestedSquares(half, side);
  const lower = nestedSquares(side - half, side);
  const pattern = new Float64Array(side * side);
  pattern.set(upper, 0);
  for (let i = 0; i < lower.length; i++) pattern[half * side + i] = -(lower[i] ?? 0);
  let sumOfSquares = 0;
  for (const value of pattern) sumOfSquares += value * value;
  const norm = Math.sqrt(sumOfSquares);
  const out = new Float64Array(side * side);
  for (let i = 0; i < side; i++) {
    for (let j = 0; j < side; j++) {
      const value = (pattern[i * side + j] ?? 0) / norm;
      out[transpose ? j * side + i : i * side + j] = value;
    }
  }
  return out;
}
