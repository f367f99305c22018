/**
 * The engine-side description of one attack, and its guards. The contract's zod schemas check
 * user input already; these checks protect the engine from every other caller (CLI, tests,
 * future tools) with the same clear messages.
 */
import type { ConstraintName } from '../../common/attacks/threat-models';
import { constraintNames } from './constraints/constraints';
import { crossEntropyLoss, type PerExampleLoss } from './per-example-loss';

export interface AttackOptions {
  constraint: ConstraintName;
  /**
   * Radius of the ball, in [0,1] pixel units. 0 is allowed (S(x) = {x}: the attack returns x;
   * evaluation uses it to check that ε = 0 gives the clean accuracy). For 'unconstrained' it
   * is only the size of the random start.
   */
  epsilon: number;
  /** PGD iterations per restart (FGSM: 1). */
  steps: number;
  /** α, in the same units as ε. */
  stepSize: number;
  /** Start each restart at a random point of the ball (restart 0 included) instead of at x. */
  randomStart: boolean;
  /** Independent runs; per example the highest-loss iterate over all of them is kept. */
  restarts: number;
  /** null: untargeted (raise the true-class loss); else lower the loss of this class. */
  targetClass: number | null;
  seed: number;
  /** Defaults to cross-entropy. */
  loss?: PerExampleLoss;
}

export function positiveFinite(value: number, what: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`${what} must be a finite number, got ${String(value)}`);
  }
  if (value <= 0) throw new Error(`${what} must be greater than 0, got ${value}`);
}

/** ≥ 0; a negative value gets the message "greater than 0 (or 0 …)" that callers match on. */
export function nonNegativeFinite(value: number, what: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`${what} must be a finite number, got ${String(value)}`);
  }
  if (value < 0) {
    throw new Error(`${what} must be greater than 0 (or exactly 0: no perturbation), got ${value}`);
  }
}

export function wholeAtLeast(value: number, minimum: number, what: string): void {
  if (!Number.isInteger(value) || value < minimum) {
    throw new Error(`${what} must be a whole number ≥ ${minimum}, got ${String(value)}`);
  }
}

export function validateAttackOptions(
  options: AttackOptions,
  numClasses: number,
): Required<AttackOptions> {
  if (!constraintNames.includes(options.constraint)) {
    throw new Error(
      `constraint must be one of ${constraintNames.join(', ')}, got ${String(options.constraint)}`,
    );
  }
  nonNegativeFinite(options.epsilon, 'ε');
  // At ε = 0 every step is projected back onto x, so the step size does not matter (FGSM's is ε).
  if (options.epsilon > 0) positiveFinite(options.stepSize, 'step size');
  else nonNegativeFinite(options.stepSize, 'step size');
  wholeAtLeast(options.steps, 1, 'steps');
  wholeAtLeast(options.restarts, 1, 'restarts');
  if (!Number.isInteger(options.seed))
    throw new Error(`seed must be a whole number, got ${options.seed}`);
  const target = options.targetClass;
  if (target !== null && (!Number.isInteger(target) || target < 0 || target >= numClasses)) {
    throw new Error(
      `target class must be a class index 0..${numClasses - 1}, got ${String(target)}`,
    );
  }
  return { ...options, loss: options.loss ?? crossEntropyLoss };
}

/** FGSM as a PGD special case: one step of size ε from x, no random start, one restart. */
export function fgsmOptions(
  options: Pick<AttackOptions, 'constraint' | 'epsilon' | 'targetClass' | 'seed' | 'loss'>,
): AttackOptions {
  return { ...options, steps: 1, stepSize: options.epsilon, randomStart: false, restarts: 1 };
}
