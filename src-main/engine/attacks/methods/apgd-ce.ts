/** APGD-CE: attacks/apgd.ts. */
import type { apgdCe } from '../../../common/attacks/apgd-ce';
import { runApgd } from '../apgd';
import { apgdMethodOutcome, apgdRunSettings } from './apgd-request';
import type { EngineMethod, OptionsOf } from './method-run';

export const apgdCeMethod: EngineMethod<OptionsOf<typeof apgdCe>> = {
  run: (model, images, labels, request, hooks) =>
    apgdMethodOutcome(runApgd(model, images, labels, apgdRunSettings(request), hooks)),
};
