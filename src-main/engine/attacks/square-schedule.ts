/**
 * The Square attack's square size (Andriushchenko et al. 2020, §A): the fraction p of the image's
 * pixels the next square covers starts at p_init and halves at iterations
 * 10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000 of a 10,000-query budget. Other budgets rescale
 * the iteration first, as the reference code does: i' = ⌊i / N_queries · 10,000⌋.
 */

/** Interval ends on the 10,000-query scale: i' in (B_k, B_{k+1}] gives p_init / 2^(k+1). */
const BOUNDARIES = [10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000, 10000];

/** p(i) for iteration i (0-based) of a budget of `queries`. */
export function squareFraction(initial: number, iteration: number, queries: number): number {
  const scaled = Math.floor((iteration / queries) * 10000);
  for (let k = 0; k + 1 < BOUNDARIES.length; k++) {
    if (scaled > (BOUNDARIES[k] ?? Infinity) && scaled <= (BOUNDARIES[k + 1] ?? -Infinity)) {
      return initial / 2 ** (k + 1);
    }
  }
  return initial;
}

/**
 * L∞: the side s of a square covering p of an h×w image: round(√(p·h·w)), within
 * [1, min(h, w) − 1] (a window always fits with room to move).
 */
export function squareSide(fraction: number, height: number, width: number): number {
  const side = Math.round(Math.sqrt(fraction * height * width));
  return Math.min(Math.max(side, 1), Math.min(height, width) - 1);
}

/**
 * L2: round(√(p·h·w)), at least 3 and made odd (s + 1 when even) so that the nested squares of
 * the update have a centre pixel (§3.2), then at most min(h, w) − 1 like the L∞ side.
 */
export function squareSideL2(fraction: number, height: number, width: number): number {
  let side = Math.max(Math.round(Math.sqrt(fraction * height * width)), 3);
  if (side % 2 === 0) side += 1;
  return Math.max(1, Math.min(side, Math.min(height, width) - 1));
}
