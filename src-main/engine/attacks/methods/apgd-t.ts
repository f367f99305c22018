/** APGD-T: attacks/apgd-targeted.ts. */
import type { apgdT } from '../../../common/attacks/apgd-t';
import { runApgdTargeted } from '../apgd-targeted';
import { apgdMethodOutcome, apgdRunSettings } from './apgd-request';
import type { EngineMethod, OptionsOf } from './method-run';

export const apgdTargetedMethod: EngineMethod<OptionsOf<typeof apgdT>> = {
  run: (model, images, labels, request, hooks) =>
    apgdMethodOutcome(
      runApgdTargeted(
        model,
        images,
        labels,
        { ...apgdRunSettings(request), targets: request.options.targets },
        hooks,
      ),
    ),
};
