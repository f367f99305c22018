/**
 * The new labels of the "simple experiment" (Ilyas et al. 2019): each training image (x, y) is
 * attacked towards a target t and stored as (x_adv, t). With u ~ U[0,1):
 *   random (D_rand), uniform draw:        t = ⌊u·C⌋, uniform over all C classes and independent
 *                                         of y (the paper's D_rand; t = y with probability 1/C).
 *   random (D_rand), other-classes draw:  t = (y + 1 + ⌊u·(C−1)⌋) mod C, uniform over the C−1
 *                                         classes other than y.
 *   deterministic (D_det):                t = (y + 1) mod C, a fixed permutation of the classes.
 * Either D_rand draw makes t independent of x's robust features beyond y itself.
 */
import type { RelabelRule, TargetDraw } from '../../common/experiment-schemas';
import { mulberry32 } from '../random/seeded-random';

export function relabelTargets(
  labels: Int32Array,
  numClasses: number,
  rule: RelabelRule,
  seed: number,
  draw: TargetDraw = 'other-classes',
): Int32Array {
  if (!Number.isInteger(numClasses) || numClasses < 2) {
    throw new Error(`relabelling needs at least 2 classes, got ${numClasses}`);
  }
  const random = mulberry32(seed);
  return labels.map((label) => {
    if (label < 0 || label >= numClasses) {
      throw new Error(`label ${label} is outside 0..${numClasses - 1}`);
    }
    if (rule === 'deterministic') return (label + 1) % numClasses;
    if (draw === 'uniform') return Math.floor(random() * numClasses);
    return (label + 1 + Math.floor(random() * (numClasses - 1))) % numClasses;
  });
}
