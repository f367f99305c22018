/**
 * The fields of a threat model (PerturbationSet), shared by the training and attack forms. Only
 * the attack form offers 'unconstrained' (no ε-ball: ε is the random start's L2 size and steps
 * are L2-normalized); training against it would be meaningless, so the training form never shows it.
 */
import type { ConstraintName, PerturbationSet } from '@common/schemas';

export interface PerturbationDefaults {
  linf: { epsilon: number; stepSize: number };
  l2: { epsilon: number; stepSize: number };
  /** Absent: the L2 defaults (both step along ∇/‖∇‖₂). */
  unconstrained?: { epsilon: number; stepSize: number };
  steps: number;
}

export class PerturbationForm {
  // Bound directly by the inputs: these are the form's own fields.
  constraint = $state<ConstraintName>('linf');
  epsilon = $state<number | null>(0.3);
  steps = $state<number | null>(7);
  stepSize = $state<number | null>(0.1);
  randomStart = $state(true);

  readonly #defaults: PerturbationDefaults;

  constructor(defaults: PerturbationDefaults) {
    this.#defaults = defaults;
    this.reset();
  }

  /** Switching the norm loads that norm's default ε and step size. */
  chooseConstraint(constraint: ConstraintName): void {
    const defaults =
      constraint === 'unconstrained'
        ? (this.#defaults.unconstrained ?? this.#defaults.l2)
        : this.#defaults[constraint];
    this.constraint = constraint;
    this.epsilon = defaults.epsilon;
    this.stepSize = defaults.stepSize;
  }

  reset(): void {
    this.chooseConstraint('linf');
    this.steps = this.#defaults.steps;
    this.randomStart = true;
  }

  /** Fills the fields from a recorded threat model (reopening a run shows its settings). */
  load(set: PerturbationSet): void {
    this.constraint = set.constraint;
    this.epsilon = set.epsilon;
    this.steps = set.steps;
    this.stepSize = set.stepSize;
    this.randomStart = set.randomStart;
  }

  /** Empty fields go out as NaN so that the workbench names the field in its reply. */
  toConfig(): PerturbationSet {
    return {
      constraint: this.constraint,
      epsilon: this.epsilon ?? Number.NaN,
      steps: this.steps ?? Number.NaN,
      stepSize: this.stepSize ?? Number.NaN,
      randomStart: this.randomStart,
    };
  }
}
