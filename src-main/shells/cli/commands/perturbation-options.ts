/**
 * --eps/--steps/--step-size/--no-random-start as a PerturbationSet: the defaults are the caller's
 * (common/attack-defaults.ts or training-defaults.ts, per constraint), ε and the step size are
 * checked against what the constraint allows on the dataset's images (common/perturbation-limits.ts).
 */
import type { ThreatModelDefaults } from '../../../common/attack-defaults';
import { epsilonRange, stepSizeRange } from '../../../common/perturbation-limits';
import type { ConstraintName } from '../../../common/attacks/threat-models';
import type { PerturbationSet } from '../../../common/attack-schemas';
import type { CliArguments } from '../cli-arguments';
import { ranges } from '../option-ranges';

export interface PerturbationDefaults<C extends ConstraintName> {
  threatModels: Record<C, ThreatModelDefaults>;
  steps: number;
  randomStart: boolean;
}

export function perturbationOptions<C extends ConstraintName>(
  args: CliArguments,
  constraint: C,
  imageShape: readonly number[],
  defaults: PerturbationDefaults<C>,
): PerturbationSet {
  const threat = defaults.threatModels[constraint];
  return {
    constraint,
    epsilon: args.number('eps', epsilonRange(constraint, imageShape), threat.epsilon),
    steps: args.number('steps', ranges.steps, defaults.steps),
    stepSize: args.number('step-size', stepSizeRange(constraint, imageShape), threat.stepSize),
    randomStart: defaults.randomStart && !args.flag('no-random-start'),
  };
}
