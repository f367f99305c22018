/** PGD: the gradient loop with the options' steps and restarts. */
import type { pgd } from '../../../common/attacks/pgd';
import { runGradientLoop } from './gradient-loop';
import type { EngineMethod, OptionsOf } from './method-run';

export const pgdMethod: EngineMethod<OptionsOf<typeof pgd>> = {
  run: (model, images, labels, request, hooks) => {
    const { steps, stepFraction, restarts } = request.options;
    // The job's α, or a fraction of ε (null: 2.5 / steps, Madry et al.).
    const stepSize = request.stepSize ?? (stepFraction ?? 2.5 / steps) * request.epsilon;
    return runGradientLoop(
      model,
      images,
      labels,
      request,
      (loss, targetClass) => ({
        constraint: request.constraint,
        epsilon: request.epsilon,
        steps,
        stepSize,
        randomStart: request.randomStart,
        restarts,
        targetClass,
        seed: request.seed,
        loss,
      }),
      hooks,
    );
  },
};
