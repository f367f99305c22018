/**
 * The fields of a threat model (PerturbationSet), shared by the training and attack forms. Only
 * the attack form offers 'unconstrained' (no ε-ball: ε is the random start's L2 size and steps
 * are L2-normalized); training against it would be meaningless, so the training form never shows it.
 */
import { attackDefaults, type ThreatModelDefaults } from '@common/attack-defaults';
import type { ConstraintName } from '@common/attacks/threat-models';
import type { PerturbationSet } from '@common/attack-schemas';

export interface PerturbationDefaults {
  linf: ThreatModelDefaults;
  l2: ThreatModelDefaults;
  /** Absent: the L2 defaults (both step along ∇/‖∇‖₂). */
  unconstrained?: ThreatModelDefaults;
  steps: number;
  randomStart: boolean;
}

export class PerturbationForm {
  // Bound directly by the inputs: these are the form's own fields.
  // Filled by reset() from the defaults the owner passes (common/attack-defaults.ts,
  // common/training-defaults.ts): no value of its own to drift from them.
  constraint = $state<ConstraintName>(attackDefaults.constraint);
  epsilon = $state<number | null>(null);
  steps = $state<number | null>(null);
  stepSize = $state<number | null>(null);
  randomStart = $state(true);

  #defaults: PerturbationDefaults;

  constructor(defaults: PerturbationDefaults) {
    this.#defaults = defaults;
    this.reset();
  }

  /** What later norm switches (and reset) load, e.g. another attack method's; fields stay. */
  useDefaults(defaults: PerturbationDefaults): void {
    this.#defaults = defaults;
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

  /** The norm a new attack (and robust training) starts with: attackDefaults.constraint. */
  reset(): void {
    this.chooseConstraint(attackDefaults.constraint);
    this.steps = this.#defaults.steps;
    this.randomStart = this.#defaults.randomStart;
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
