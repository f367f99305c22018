/** FGSM: one step of size ε from x (attack-options.ts fgsmOptions) on the chosen loss. */
import type { fgsm } from '../../../common/attacks/fgsm';
import { fgsmOptions } from '../attack-options';
import { runGradientLoop } from './gradient-loop';
import type { EngineMethod, OptionsOf } from './method-run';

export const fgsmMethod: EngineMethod<OptionsOf<typeof fgsm>> = {
  run: (model, images, labels, request, hooks) =>
    runGradientLoop(
      model,
      images,
      labels,
      request,
      (loss, targetClass) =>
        fgsmOptions({
          constraint: request.constraint,
          epsilon: request.epsilon,
          targetClass,
          seed: request.seed,
          loss,
        }),
      hooks,
    ),
};
