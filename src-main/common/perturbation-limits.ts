/**
 * The largest ε (and step) that means something for a threat model on a dataset's images, for
 * the clients to check before a call: pixels are in [0, 1], so an L∞ ε above 1 allows every
 * image, and no two H×W×C images are further apart in L2 than √(H·W·C) (all black to all
 * white), so an L2 ε (or the unconstrained random start's L2 size) above that allows every image.
 */
import { capRange, rangeOf, type NumberRange } from './number-range';
import { PerturbationSet } from './attack-schemas';
import type { ConstraintName } from './attacks/threat-models';

export function perturbationLimit(
  constraint: ConstraintName,
  imageShape: readonly number[],
): { high: number; reason: string } {
  if (constraint === 'linf') return { high: 1, reason: 'pixels are in [0, 1]' };
  const d = imageShape.reduce((product, side) => product * side, 1);
  return {
    high: Number(Math.sqrt(d).toPrecision(4)),
    reason: `√${d}, the largest L2 distance between two ${imageShape.join('×')} images`,
  };
}

/** A setting's range as the contract gives it (> 0), capped at the limit of the constraint. */
function cappedRange(
  setting: typeof PerturbationSet.shape.epsilon | typeof PerturbationSet.shape.stepSize,
  constraint: ConstraintName,
  imageShape: readonly number[],
): NumberRange {
  const { high, reason } = perturbationLimit(constraint, imageShape);
  return capRange(rangeOf(setting), high, reason, `for ${constraint}`);
}

/** ε's range: an ε past the limit allows every image. */
export function epsilonRange(
  constraint: ConstraintName,
  imageShape: readonly number[],
): NumberRange {
  return cappedRange(PerturbationSet.shape.epsilon, constraint, imageShape);
}

/** The step size's range: a step longer than the whole box moves no further than one that fits. */
export function stepSizeRange(
  constraint: ConstraintName,
  imageShape: readonly number[],
): NumberRange {
  return cappedRange(PerturbationSet.shape.stepSize, constraint, imageShape);
}

const norms: Record<ConstraintName, string> = {
  linf: 'L∞',
  l2: 'L2',
  unconstrained: 'unconstrained',
};

/**
 * ε values beyond the limit of their threat model on these images, one message each (empty:
 * fine). The core checks every job's ε with it before a run row exists, so the UI and any other
 * caller get the CLI's refusal instead of a run at a radius that allows every image.
 */
export function epsilonProblems(
  constraint: ConstraintName,
  epsilons: readonly number[],
  imageShape: readonly number[],
  what = 'ε',
): string[] {
  const { high, reason } = perturbationLimit(constraint, imageShape);
  return epsilons
    .filter((epsilon) => epsilon > high)
    .map(
      (epsilon) =>
        `${what} = ${epsilon} is more than ${high}, the largest ${norms[constraint]} ${what} that means anything here (${reason})`,
    );
}
