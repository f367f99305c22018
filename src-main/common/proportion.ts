/**
 * An accuracy is a proportion: k images of n. Every figure the workbench shows says its n and a 95%
 * interval, so that "robust accuracy 62%" on 200 images reads as what it is (≈ 55–69%).
 *
 * The interval is Wilson's score interval: the set of true proportions p that a two-sided score
 * test at level 95% does not reject, i.e. the p for which
 *
 *     (k − n·p)² ≤ z² · n · p · (1 − p),     z = Φ⁻¹(0.975) ≈ 1.95996.
 *
 * Solving that quadratic in p gives, with p̂ = k/n,
 *
 *     centre = (p̂ + z²/2n) / (1 + z²/n)
 *     half   = z / (1 + z²/n) · √( p̂(1 − p̂)/n + z²/4n² ).
 *
 * Unlike the normal ("Wald") interval p̂ ± z√(p̂(1−p̂)/n) it never leaves [0, 1] and does not
 * collapse to a point at 0% or 100% — the robust accuracies this tool reports are often there.
 */

/** Φ⁻¹(0.975): the standard normal quantile of a two-sided 95% interval. */
export const Z_95 = 1.959963984540054;

/** k successes of n trials. */
export interface Proportion {
  /** Images counted (correct, robust, …). */
  count: number;
  /** Images it rests on. */
  of: number;
}

export interface Interval {
  low: number;
  high: number;
}

/** Wilson's 95% score interval of k of n (n ≥ 1, 0 ≤ k ≤ n, whole numbers). */
export function wilsonInterval({ count, of }: Proportion, z = Z_95): Interval {
  if (!Number.isInteger(of) || of < 1) throw new Error(`a proportion needs n ≥ 1 (got ${of})`);
  if (!Number.isInteger(count) || count < 0 || count > of)
    throw new Error(`a proportion needs a whole k in 0…${of} (got ${count})`);
  const p = count / of;
  const z2n = (z * z) / of;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / of + z2n / (4 * of));
  // At k = 0 (k = n) the bound is exactly 0 (1); the formula gives it up to rounding.
  return {
    low: count === 0 ? 0 : Math.max(0, centre - half),
    high: count === of ? 1 : Math.min(1, centre + half),
  };
}

/**
 * The count behind a stored fraction of n images. Results store accuracies as fractions k/n;
 * k is recovered exactly (k/n in float64 is within 2⁻⁵³ of the true ratio, far inside ±0.5/n).
 */
export function proportionOf(fraction: number, of: number): Proportion {
  const count = Math.round(fraction * of);
  if (!Number.isFinite(fraction) || Math.abs(count - fraction * of) > 1e-6 * Math.max(1, of))
    throw new Error(`${fraction} is not a count of ${of} images`);
  return { count, of };
}

const percentText = (fraction: number, digits: number) => `${(fraction * 100).toFixed(digits)}%`;

/** "62.0% (124/200; 95% CI 55.1–68.4%)": the figure, its count and n, and its interval. */
export function describeProportion(proportion: Proportion, digits = 1): string {
  const { low, high } = wilsonInterval(proportion);
  return `${percentText(proportion.count / proportion.of, digits)} (${proportion.count}/${proportion.of}; 95% CI ${(low * 100).toFixed(digits)}–${percentText(high, digits)})`;
}

/** "55.1–68.4%": the interval alone, for a table whose header gives n. */
export function describeInterval(proportion: Proportion, digits = 1): string {
  const { low, high } = wilsonInterval(proportion);
  return `${(low * 100).toFixed(digits)}–${percentText(high, digits)}`;
}

/**
 * A stored accuracy of `of` images, as describeProportion writes it; "—" where none was measured.
 * A fraction that is no count of `of` (measured on other images than the caller thinks) is
 * written without an interval and says so, rather than with a wrong one.
 */
export function describeAccuracy(fraction: number | null, of: number, digits = 1): string {
  if (fraction === null || !Number.isFinite(fraction)) return '—';
  const count = Math.round(fraction * of);
  if (of < 1 || Math.abs(count - fraction * of) > 1e-6 * of)
    return `${percentText(fraction, digits)} (not a count of ${of} images: no interval)`;
  return describeProportion({ count, of }, digits);
}

/** "124/200 · 95% CI 55.1–68.4%": what a headline figure counts, for the line under it. */
export function describeCount(proportion: Proportion, digits = 1): string {
  return `${proportion.count}/${proportion.of} · 95% CI ${describeInterval(proportion, digits)}`;
}
