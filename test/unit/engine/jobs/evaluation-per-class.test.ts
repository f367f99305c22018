import { describe, expect, it } from 'vitest';
import { countPerClass } from '../../../../src-main/engine/jobs/evaluation-measurements';

describe('per-class evaluation counts', () => {
  it('counts each class’s images, clean-correct and robust ones at every ε', () => {
    const labels = [0, 2, 2, 1, 0, 2];
    const clean = [true, true, false, true, false, true];
    const robust = [
      [true, true, false, true, false, true],
      [true, false, false, false, false, true],
    ];
    expect(countPerClass(labels, clean, robust, 4)).toEqual([
      { images: 2, clean: 1, worstCase: [1, 1] },
      { images: 1, clean: 1, worstCase: [1, 0] },
      { images: 3, clean: 2, worstCase: [2, 1] },
      { images: 0, clean: 0, worstCase: [0, 0] },
    ]);
  });

  it('refuses a label that is not a class', () => {
    expect(() => countPerClass([0, 3], [true, true], [], 3)).toThrow(/image 1 has label 3/);
  });
});
