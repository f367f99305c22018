/**
 * Experiment f as a project run: no dataset and no model, only figures. The engine job gets
 * empty image batches (ExperimentJobSpec always carries them).
 */
import type { RobustGaussianConfig, TsiprasConfig } from '../../common/experiment-schemas';
import { ExperimentResult } from '../../common/experiment-schemas';
import type { ProjectStore } from '../../db/project-store';
import type { ExperimentJobSpec } from '../../engine/protocol';
import type { JobDefinition } from '../job-runner';
import { experimentJob } from './experiment-data';

const none = () => ({
  shape: [0, 1, 1, 1] as [number, number, number, number],
  data: new Uint8Array(0),
});

export function defineGaussianJob(
  store: ProjectStore,
  config: RobustGaussianConfig | TsiprasConfig,
): JobDefinition {
  return experimentJob(
    store,
    config,
    null,
    () => {
      const spec: ExperimentJobSpec = {
        kind: 'experiment',
        config,
        numClasses: 2,
        trainImages: none(),
        trainLabels: new Int32Array(0),
        testImages: none(),
        testLabels: new Int32Array(0),
        models: [],
      };
      return { spec, transfer: [] };
    },
    // The engine's summary is the result; parsing checks its shape before it is stored.
    (result) => ExperimentResult.parse(result.summary),
  );
}
