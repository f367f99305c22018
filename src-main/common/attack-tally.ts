/**
 * How many images an attack fooled, counted the way the literature counts it: an attack can only
 * succeed on an image the model classified correctly before it, so those images are the
 * denominator, and the ones that were already misclassified are reported beside it instead of
 * being counted as successes. Shared by the attack view and the CLI so both say the same thing.
 */
import type { AttackExample } from './attack-schemas';

export interface AttackTally {
  /** All attacked images. */
  images: number;
  /** Misclassified before the attack: nothing for the attack to do. */
  alreadyWrong: number;
  /** Targeted only: correctly classified images whose true class is the target (no edit needed). */
  alreadyTarget: number;
  /** Correct before the attack (and, targeted, not already of the target class). */
  attempted: number;
  /** Of `attempted`: untargeted, now misclassified; targeted, now classified as the target. */
  fooled: number;
  /**
   * Of `attempted` and not fooled: a gradient attack never moved them (AttackExample.stalled).
   * Their "robustness" is a failure of the attack, not a measurement.
   */
  stalled: number;
}

/**
 * Whether the model got the clean image right. Runs saved before `cleanCorrect` was recorded
 * still carry the clean top-5, whose first entry is the model's prediction.
 */
export function cleanCorrect(
  example: Pick<AttackExample, 'cleanCorrect' | 'cleanTop5' | 'label'>,
): boolean {
  return example.cleanCorrect ?? example.cleanTop5[0]?.label === example.label;
}

export function attackTally(
  examples: readonly Pick<
    AttackExample,
    'cleanCorrect' | 'cleanTop5' | 'label' | 'success' | 'stalled'
  >[],
  targetClass: number | null,
): AttackTally {
  const tally: AttackTally = {
    images: examples.length,
    alreadyWrong: 0,
    alreadyTarget: 0,
    attempted: 0,
    fooled: 0,
    stalled: 0,
  };
  for (const example of examples) {
    if (!cleanCorrect(example)) tally.alreadyWrong += 1;
    else if (targetClass !== null && example.label === targetClass) tally.alreadyTarget += 1;
    else {
      tally.attempted += 1;
      // `success` is "the adversarial prediction is wrong (targeted: is the target)"; on an image
      // the model had right, that is exactly a success of the attack.
      if (example.success) tally.fooled += 1;
      else if (example.stalled === true) tally.stalled += 1;
    }
  }
  return tally;
}

function images(count: number): string {
  return `${count} image${count === 1 ? '' : 's'}`;
}

/**
 * e.g. "fooled 15 of the 15 images it classified correctly; 1 of 16 was already misclassified".
 * The pronoun is the model.
 */
export function describeAttackTally(tally: AttackTally, targetClass: number | null): string {
  const goal = targetClass === null ? 'fooled' : 'moved to the target class';
  const right =
    targetClass === null
      ? 'it classified correctly'
      : 'it classified correctly outside the target class';
  const parts = [
    tally.attempted === 1
      ? `${goal} ${tally.fooled} of the 1 image ${right}`
      : `${goal} ${tally.fooled} of the ${tally.attempted} images ${right}`,
  ];
  if (tally.alreadyWrong > 0)
    parts.push(
      `${tally.alreadyWrong} of ${tally.images} ${tally.alreadyWrong === 1 ? 'was' : 'were'} already misclassified`,
    );
  if (tally.alreadyTarget > 0)
    parts.push(
      `${images(tally.alreadyTarget)} already of the target class ${tally.alreadyTarget === 1 ? 'was' : 'were'} left out`,
    );
  if (tally.stalled > 0)
    parts.push(
      `the attack never moved ${images(tally.stalled)} it did not fool (a zero or lost gradient): their robustness is not measured`,
    );
  return parts.join('; ');
}
