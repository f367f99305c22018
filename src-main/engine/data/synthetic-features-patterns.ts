/**
 * The NON-ROBUST feature of the synthetic dataset: one faint high-frequency ±1 pattern per class,
 * added to the image at amplitude ±δ.
 *
 * The patterns are 2-D Walsh functions on 4×4 tiles. On one axis, the four Walsh functions of
 * length 4 are (sequency = number of sign changes):
 *   w₀ = + + + +   w₁ = + + − −   w₂ = + − − +   w₃ = + − + −
 * i.e. w_s(i) = (−1)^(b₁·⌊i/2⌋ mod 2 + b₀·(i mod 2)) for the bits (b₁, b₀) of the natural order
 * below. A 2-D pattern is P_{a,b}(row, col) = w_a(row mod 4) · w_b(col mod 4). The 16 products
 * are mutually orthogonal over every 4×4 tile (so over any image whose sides are multiples of 4,
 * and nearly so otherwise), every value is ±1, and the ones with a + b ≥ 3 (the 10 listed in
 * CLASS_SEQUENCIES) have no low-frequency content a shape could mimic: they live at spatial
 * periods of 2 or 4 pixels. Every channel gets the same sign, so the pattern is a faint
 * luminance texture.
 */

/** Walsh function w_s of length 4 as its 4 signs, indexed by sequency s = 0..3. */
const WALSH_4: readonly (readonly number[])[] = [
  [1, 1, 1, 1],
  [1, 1, -1, -1],
  [1, -1, -1, 1],
  [1, -1, 1, -1],
];

/** (row sequency, column sequency) of each class's pattern, highest frequency first. */
export const CLASS_SEQUENCIES: readonly (readonly [number, number])[] = [
  [3, 3],
  [3, 2],
  [2, 3],
  [3, 1],
  [1, 3],
  [2, 2],
  [3, 0],
  [0, 3],
  [2, 1],
  [1, 2],
];

/** The most classes the patterns (and shapes) can tell apart. */
export const MAX_PATTERN_CLASSES = CLASS_SEQUENCIES.length;

/**
 * Pattern of class k as H·W signs (row-major, one value per pixel, shared by all channels).
 * Values are exactly +1 or −1.
 */
export function nonRobustPattern(classIndex: number, height: number, width: number): Int8Array {
  const sequencies = CLASS_SEQUENCIES[classIndex];
  if (sequencies === undefined || !Number.isInteger(classIndex)) {
    throw new Error(
      `non-robust pattern class must be 0..${MAX_PATTERN_CLASSES - 1}, got ${classIndex}`,
    );
  }
  const rowSigns = WALSH_4[sequencies[0]] ?? [];
  const columnSigns = WALSH_4[sequencies[1]] ?? [];
  const out = new Int8Array(height * width);
  for (let row = 0; row < height; row++) {
    const rowSign = rowSigns[row % 4] ?? 1;
    for (let col = 0; col < width; col++) {
      out[row * width + col] = rowSign * (columnSigns[col % 4] ?? 1);
    }
  }
  return out;
}
