/**
 * The new labels of the "simple experiment" (Ilyas et al. 2019): each training image (x, y) is
 * attacked towards a target t and stored as (x_adv, t).
 *   random (D_rand):        t = (y + 1 + ⌊u·(C−1)⌋) mod C, u ~ U[0,1): uniform over the C−1
 *                           classes other than y, so t is independent of x's robust features.
 *   deterministic (D_det):  t = (y + 1) mod C, a fixed permutation of the classes.
 */
import type { RelabelRule } from '../../common/experiment-schemas';
import { mulberry32 } from '../random/seeded-random';

export function relabelTargets(
  labels: Int32Array,
  numClasses: number,
  rule: RelabelRule,
  seed: number,
): Int32Array {
  if (!Number.isInteger(numClasses) || numClasses < 2) {
    throw new Error(`relabelling needs at least 2 classes, got ${numClasses}`);
  }
  const random = mulberry32(seed);
  return labels.map((label) => {
    if (label < 0 || label >= numClasses) {
      throw new Error(`label ${label} is outside 0..${numClasses - 1}`);
    }
    const shift = rule === 'deterministic' ? 1 : 1 + Math.floor(random() * (numClasses - 1));
    return (label + shift) % numClasses;
  });
}
