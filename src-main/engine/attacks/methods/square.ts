/** The Square attack: attacks/square-attack.ts; it records queries, not a loss curve. */
import type { square } from '../../../common/attacks/square';
import { runSquareAttack } from '../square-attack';
import { ballConstraint, type EngineMethod, type OptionsOf } from './method-run';

export const squareMethod: EngineMethod<OptionsOf<typeof square>> = {
  run: (model, images, labels, request, hooks) => {
    const outcome = runSquareAttack(
      model,
      images,
      labels,
      {
        constraint: ballConstraint(request),
        epsilon: request.epsilon,
        queries: request.options.queries,
        initialFraction: request.options.initialFraction,
        seed: request.seed,
      },
      hooks,
    );
    outcome.margin.dispose();
    return {
      adversarial: outcome.adversarial,
      lossPerStep: [],
      queries: outcome.queries,
      stalled: null,
    };
  },
};
