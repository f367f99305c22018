/** An experiment run of any type: the job definition for its config's type. */
import type { ExperimentConfig } from '../../common/experiment-schemas';
import type { ProjectStore } from '../../db/project-store';
import type { JobDefinition } from '../job-runner';
import { defineGaussianJob } from './gaussian-job';
import { defineNonRobustJob } from './non-robust-job';
import { defineRobustDatasetsJob } from './robust-datasets-job';
import { defineDataEfficiencyJob, defineTradeoffJob } from './training-series-jobs';
import { defineTransferJob } from './transfer-job';

export function defineExperimentJob(store: ProjectStore, config: ExperimentConfig): JobDefinition {
  switch (config.type) {
    case 'non-robust-features':
      return defineNonRobustJob(store, config);
    case 'robust-datasets':
      return defineRobustDatasetsJob(store, config);
    case 'robustness-tradeoff':
      return defineTradeoffJob(store, config);
    case 'data-efficiency':
      return defineDataEfficiencyJob(store, config);
    case 'transfer':
      return defineTransferJob(store, config);
    case 'robust-gaussian':
    case 'tsipras-toy':
      return defineGaussianJob(store, config);
  }
}
