/** APGD-CE: attacks/apgd.ts. */
import type { apgdCe } from '../../../common/attacks/apgd-ce';
import { runApgd } from '../apgd';
import { ballConstraint, type EngineMethod, type OptionsOf } from './method-run';

export const apgdCeMethod: EngineMethod<OptionsOf<typeof apgdCe>> = {
  run: (model, images, labels, request, hooks) => {
    const outcome = runApgd(
      model,
      images,
      labels,
      {
        constraint: ballConstraint(request),
        epsilon: request.epsilon,
        iterations: request.options.iterations,
        restarts: request.options.restarts,
        randomStart: request.randomStart,
        seed: request.seed,
      },
      hooks,
    );
    outcome.margin.dispose();
    return {
      adversarial: outcome.adversarial,
      lossPerStep: outcome.lossPerStep,
      queries: null,
      stalled: outcome.stalled,
    };
  },
};
