/** Experiment d (transferability) as a project run: every ordered pair of the chosen models. */
import type { TransferConfig, TransferResult } from '../../common/experiment-schemas';
import type { ProjectStore } from '../../db/project-store';
import type { JobDefinition } from '../job-runner';
import { checkModelFits, checkSplits, experimentJob, experimentSpec } from './experiment-data';

export function defineTransferJob(store: ProjectStore, config: TransferConfig): JobDefinition {
  const dataset = store.datasets.get(config.datasetId);
  for (const id of config.modelIds) checkModelFits(store, id, dataset);
  checkSplits(dataset, false);
  return experimentJob(
    store,
    config,
    null,
    () => experimentSpec(store, config, dataset, config.modelIds, false),
    (result): TransferResult => {
      if (result.summary.type !== 'transfer') throw new Error('wrong summary');
      return { ...result.summary };
    },
  );
}
