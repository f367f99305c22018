import { describe, expect, it } from 'vitest';
import { attackTally, describeAttackTally } from '../../../src-main/common/attack-tally';
import type { AttackExample } from '../../../src-main/common/attack-schemas';

type Example = Pick<AttackExample, 'cleanCorrect' | 'cleanTop5' | 'label' | 'success' | 'stalled'>;

/** An example whose clean prediction is `predicted` and whose attack outcome is `success`. */
function example(label: number, predicted: number, success: boolean, recorded = true): Example {
  return {
    label,
    cleanTop5: [{ label: predicted, probability: 0.9 }],
    success,
    ...(recorded ? { cleanCorrect: predicted === label } : {}),
  };
}

describe('attack tally', () => {
  // The case: 16 images, one already misclassified; the untargeted `success` flag is
  // true for it as well, which made the view say 16/16.
  const sixteen = [...Array.from({ length: 15 }, () => example(3, 3, true)), example(7, 1, true)];

  it('counts success over the images the model had right, and the others beside it', () => {
    const tally = attackTally(sixteen, null);
    expect(tally).toEqual({
      images: 16,
      alreadyWrong: 1,
      alreadyTarget: 0,
      attempted: 15,
      fooled: 15,
      stalled: 0,
    });
    expect(describeAttackTally(tally, null)).toBe(
      'fooled 15 of the 15 images it classified correctly; 1 of 16 was already misclassified',
    );
  });

  it('reads runs saved before cleanCorrect was recorded from the clean top-5', () => {
    const old = [example(3, 3, false, false), example(7, 1, true, false)];
    expect(attackTally(old, null)).toMatchObject({ attempted: 1, fooled: 0, alreadyWrong: 1 });
  });

  it('leaves out, for a targeted attack, images already of the target class', () => {
    const tally = attackTally([example(2, 2, true), example(4, 4, true), example(4, 4, false)], 2);
    expect(tally).toMatchObject({ attempted: 2, fooled: 1, alreadyTarget: 1, alreadyWrong: 0 });
    expect(describeAttackTally(tally, 2)).toBe(
      'moved to the target class 1 of the 2 images it classified correctly outside the target class; 1 image already of the target class was left out',
    );
  });

  it('says when a gradient attack left correctly classified images where they started', () => {
    const stuck = { ...example(3, 3, false), stalled: true };
    const tally = attackTally([stuck, stuck, example(5, 5, true), example(6, 6, false)], null);
    expect(tally).toMatchObject({ attempted: 4, fooled: 1, stalled: 2 });
    expect(describeAttackTally(tally, null)).toBe(
      'fooled 1 of the 4 images it classified correctly; the attack never moved 2 images it did not fool (a zero or lost gradient): their robustness is not measured',
    );
  });
});
