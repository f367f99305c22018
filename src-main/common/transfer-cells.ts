/**
 * A transfer matrix's cells as counts. successRate[i][j] is k of n: n the attacked images that
 * model j classifies correctly (the same n down a column, since every source attacks every
 * image), k those whose adversarial version crafted on model i it misclassifies.
 */
import type { TransferResult } from './experiment-schemas';
import { proportionOf, type Proportion } from './proportion';

/** The images behind model j's column: k of n as counted, or null when the result lacks `images`. */
export function transferColumnImages(result: TransferResult, j: number): number | null {
  const clean = result.cleanAccuracy[j];
  if (result.images === undefined || clean === undefined) return null;
  return proportionOf(clean, result.images).count;
}

/** Cell (i, j) as a proportion; null where it has no rate (0 of 0) or no recorded count. */
export function transferCell(result: TransferResult, i: number, j: number): Proportion | null {
  const rate = result.successRate[i]?.[j];
  const images = transferColumnImages(result, j);
  if (rate === null || rate === undefined || images === null || images === 0) return null;
  return proportionOf(rate, images);
}
