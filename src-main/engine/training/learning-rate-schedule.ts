/**
 * The learning rate of each batch. A run has T = epochs · B batches; batch s (0-based, over the
 * whole run) is in epoch ⌊s / B⌋. For the configured rate η (see LearningRateSchedule):
 *   constant:  η
 *   step:      η · γ^k, k = #{milestones m : m ≤ ⌊s / B⌋}   (after m epochs the rate drops)
 *   cosine:    floor + (η − floor) · (1 + cos(π · s / T)) / 2  (η at s = 0, → floor at the end)
 *   one-cycle: piecewise linear through (0, 0), (p·T, η), (T, 0), read at s + 1 — as the cyclic
 *              rate of fast adversarial training (Wong et al. 2020), so the first batch already
 *              moves and the last one is at 0
 * A function of s alone, so a resumed run gets exactly the rates of an uninterrupted one.
 */
import type { LearningRateSchedule } from '../../common/training-schemas';

export interface ScheduleRun {
  /** η: the configured rate (the peak, for one-cycle). */
  learningRate: number;
  batchesPerEpoch: number;
  totalBatches: number;
}

export function learningRateAt(
  schedule: LearningRateSchedule,
  run: ScheduleRun,
  step: number,
): number {
  const eta = run.learningRate;
  switch (schedule.kind) {
    case 'constant':
      return eta;
    case 'step': {
      const epoch = Math.floor(step / run.batchesPerEpoch);
      const drops = schedule.milestones.filter((milestone) => milestone <= epoch).length;
      return eta * schedule.gamma ** drops;
    }
    case 'cosine':
      return (
        schedule.floor +
        ((eta - schedule.floor) * (1 + Math.cos((Math.PI * step) / run.totalBatches))) / 2
      );
    case 'one-cycle': {
      const t = (step + 1) / run.totalBatches;
      const peak = schedule.peakFraction;
      return t <= peak ? (eta * t) / peak : (eta * (1 - t)) / (1 - peak);
    }
    default: {
      const unknown: { kind?: unknown } = schedule;
      throw new Error(`unknown learning-rate schedule ${String(unknown.kind)}`);
    }
  }
}

/** Guards a schedule against the configured rate (the zod schema checks each field alone). */
export function validateSchedule(schedule: LearningRateSchedule, learningRate: number): void {
  switch (schedule.kind) {
    case 'constant':
      return;
    case 'step':
      if (!(schedule.gamma > 0 && schedule.gamma <= 1)) {
        throw new Error(`step schedule γ must be in (0, 1], got ${schedule.gamma}`);
      }
      for (const milestone of schedule.milestones) {
        if (!Number.isInteger(milestone) || milestone < 1) {
          throw new Error(`step schedule milestones must be whole epochs ≥ 1, got ${milestone}`);
        }
      }
      return;
    case 'cosine':
      if (!(schedule.floor >= 0 && schedule.floor < learningRate)) {
        throw new Error(
          `the cosine floor must be ≥ 0 and below the learning rate ${learningRate}, got ${schedule.floor}`,
        );
      }
      return;
    case 'one-cycle':
      if (!(schedule.peakFraction > 0 && schedule.peakFraction < 1)) {
        throw new Error(
          `the one-cycle peak position must be between 0 and 1, got ${schedule.peakFraction}`,
        );
      }
      return;
    default: {
      const unknown: { kind?: unknown } = schedule;
      throw new Error(
        `unknown learning-rate schedule ${String(unknown.kind)}; use constant, step, cosine or one-cycle`,
      );
    }
  }
}
