import { describe, expect, it } from 'vitest';
import { LearningRateSchedule } from '../../../../src-main/common/training-schemas';
import {
  learningRateAt,
  validateSchedule,
} from '../../../../src-main/engine/training/learning-rate-schedule';

// 4 epochs of 10 batches, η = 0.1.
const run = { learningRate: 0.1, batchesPerEpoch: 10, totalBatches: 40 };

describe('learning-rate schedules', () => {
  it('constant keeps η', () => {
    for (const step of [0, 17, 39])
      expect(learningRateAt({ kind: 'constant' }, run, step)).toBe(0.1);
  });

  it('step multiplies by γ from each milestone epoch on', () => {
    const schedule: LearningRateSchedule = { kind: 'step', gamma: 0.1, milestones: [2, 3] };
    expect(learningRateAt(schedule, run, 0)).toBeCloseTo(0.1, 12);
    expect(learningRateAt(schedule, run, 19)).toBeCloseTo(0.1, 12); // last batch of epoch 2
    expect(learningRateAt(schedule, run, 20)).toBeCloseTo(0.01, 12); // after 2 epochs
    expect(learningRateAt(schedule, run, 29)).toBeCloseTo(0.01, 12);
    expect(learningRateAt(schedule, run, 30)).toBeCloseTo(0.001, 12);
    expect(learningRateAt(schedule, run, 39)).toBeCloseTo(0.001, 12);
  });

  it('cosine goes from η to the floor', () => {
    const schedule = { kind: 'cosine', floor: 0.02 } as const;
    expect(learningRateAt(schedule, run, 0)).toBeCloseTo(0.1, 12);
    // Halfway: floor + (η − floor)/2.
    expect(learningRateAt(schedule, run, 20)).toBeCloseTo(0.06, 12);
    // s = 10: (1 + cos(π/4))/2 = 0.853553…
    expect(learningRateAt(schedule, run, 10)).toBeCloseTo(0.02 + 0.08 * 0.8535533905932737, 12);
    expect(learningRateAt(schedule, run, 39)).toBeGreaterThan(0.02);
    expect(learningRateAt(schedule, run, 39)).toBeLessThan(0.0202);
    expect(learningRateAt({ kind: 'cosine', floor: 0 }, run, 20)).toBeCloseTo(0.05, 12);
  });

  it('one-cycle rises linearly to η at the peak, then falls to 0', () => {
    const schedule = { kind: 'one-cycle', peakFraction: 0.5 } as const;
    expect(learningRateAt(schedule, run, 0)).toBeCloseTo(0.1 / 20, 12); // t = 1/40
    expect(learningRateAt(schedule, run, 9)).toBeCloseTo(0.05, 12); // t = 1/4
    expect(learningRateAt(schedule, run, 19)).toBeCloseTo(0.1, 12); // t = 1/2: the peak
    expect(learningRateAt(schedule, run, 29)).toBeCloseTo(0.05, 12); // t = 3/4
    expect(learningRateAt(schedule, run, 39)).toBeCloseTo(0, 12); // t = 1
    const early = { kind: 'one-cycle', peakFraction: 0.25 } as const;
    expect(learningRateAt(early, run, 9)).toBeCloseTo(0.1, 12);
    expect(learningRateAt(early, run, 24)).toBeCloseTo((0.1 * (1 - 25 / 40)) / 0.75, 12);
  });

  it('parses with defaults and refuses bad schedules with clear messages', () => {
    expect(LearningRateSchedule.parse({ kind: 'cosine' })).toEqual({ kind: 'cosine', floor: 0 });
    expect(LearningRateSchedule.parse({ kind: 'one-cycle' })).toEqual({
      kind: 'one-cycle',
      peakFraction: 0.5,
    });
    expect(() => LearningRateSchedule.parse({ kind: 'step', gamma: 2, milestones: [3] })).toThrow(
      /γ must be at most 1/,
    );
    expect(() => LearningRateSchedule.parse({ kind: 'step', gamma: 0.1, milestones: [] })).toThrow(
      /at least one milestone/,
    );
    expect(() => validateSchedule({ kind: 'cosine', floor: 0.5 }, 0.1)).toThrow(
      /cosine floor must be ≥ 0 and below the learning rate 0.1/,
    );
  });
});
