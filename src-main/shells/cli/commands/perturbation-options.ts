/** --eps/--steps/--step-size/--no-random-start as a PerturbationSet, with per-norm defaults. */
import type { CliArguments } from '../cli-arguments';

export function perturbationOptions(args: CliArguments, constraint: string) {
  const linf = constraint === 'linf';
  return {
    constraint,
    epsilon: args.number('eps', linf ? 0.3 : 2),
    steps: args.number('steps', 40),
    stepSize: args.number('step-size', linf ? 0.01 : 0.25),
    randomStart: !args.flag('no-random-start'),
  };
}
