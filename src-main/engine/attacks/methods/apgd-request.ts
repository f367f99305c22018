/**
 * What APGD-CE and APGD-T share as engine methods: the run settings they read from a request, and
 * their outcome as a method's (the CW margin both return is not part of it and is freed here).
 */
import type { ApgdOutcome } from '../apgd';
import { ballConstraint, type MethodOutcome, type MethodRequest } from './method-run';

interface ApgdCounts {
  method: string;
  iterations: number;
  restarts: number;
}

export function apgdRunSettings(request: MethodRequest<ApgdCounts>) {
  return {
    constraint: ballConstraint(request),
    epsilon: request.epsilon,
    iterations: request.options.iterations,
    restarts: request.options.restarts,
    randomStart: request.randomStart,
    seed: request.seed,
  };
}

export function apgdMethodOutcome(
  outcome: Pick<ApgdOutcome, 'adversarial' | 'margin' | 'lossPerStep' | 'stalled'>,
): MethodOutcome {
  outcome.margin.dispose();
  return {
    adversarial: outcome.adversarial,
    lossPerStep: outcome.lossPerStep,
    queries: null,
    stalled: outcome.stalled,
  };
}
