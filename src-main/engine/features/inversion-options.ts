/**
 * The settings of one representation inversion, and their guards: like the attack options, the
 * engine checks them itself so that every caller (bench, tests, future jobs) gets the same
 * clear message instead of a NaN image.
 */

export interface InversionOptions {
  /** Gradient steps T; the loss is read at x⁰ … x^T (T + 1 values). */
  steps: number;
  /** α: the L2 length of each step per example, in [0,1] pixel units (before the clamp). */
  stepSize: number;
}

export function validateInversionOptions(options: InversionOptions): InversionOptions {
  const { steps, stepSize } = options;
  if (!Number.isInteger(steps) || steps < 1) {
    throw new Error(`steps must be a whole number ≥ 1, got ${String(steps)}`);
  }
  if (typeof stepSize !== 'number' || !Number.isFinite(stepSize) || stepSize <= 0) {
    throw new Error(`step size must be a finite number greater than 0, got ${String(stepSize)}`);
  }
  return { steps, stepSize };
}
