/** APGD-T: attacks/apgd-targeted.ts. */
import type { apgdT } from '../../../common/attacks/apgd-t';
import { runApgdTargeted } from '../apgd-targeted';
import { ballConstraint, type EngineMethod, type OptionsOf } from './method-run';

export const apgdTargetedMethod: EngineMethod<OptionsOf<typeof apgdT>> = {
  run: (model, images, labels, request, hooks) => {
    const outcome = runApgdTargeted(
      model,
      images,
      labels,
      {
        constraint: ballConstraint(request),
        epsilon: request.epsilon,
        iterations: request.options.iterations,
        restarts: request.options.restarts,
        randomStart: request.randomStart,
        targets: request.options.targets,
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
