/** ExperimentJobSpec → ExperimentJobResult: dispatch on the experiment's type. */
import { runDataEfficiencyExperiment } from '../experiments/run-data-efficiency-experiment';
import { runGaussianExperiment } from '../experiments/run-gaussian-experiment';
import { runNonRobustExperiment } from '../experiments/run-non-robust-experiment';
import { runRobustDatasetsExperiment } from '../experiments/run-robust-datasets-experiment';
import { runTradeoffExperiment } from '../experiments/run-tradeoff-experiment';
import { runTransferExperiment } from '../experiments/run-transfer-experiment';
import type { ExperimentJobResult, ExperimentJobSpec } from '../protocol';
import type { JobReporter } from '../engine-types';

export function runExperimentJob(
  spec: ExperimentJobSpec,
  reporter: JobReporter,
): ExperimentJobResult {
  const config = spec.config;
  switch (config.type) {
    case 'non-robust-features':
      return runNonRobustExperiment(spec, config, reporter);
    case 'robust-datasets':
      return runRobustDatasetsExperiment(spec, config, reporter);
    case 'robustness-tradeoff':
      return runTradeoffExperiment(spec, config, reporter);
    case 'data-efficiency':
      return runDataEfficiencyExperiment(spec, config, reporter);
    case 'transfer':
      return runTransferExperiment(spec, config, reporter);
    case 'robust-gaussian':
    case 'tsipras-toy':
      return runGaussianExperiment(config, reporter);
  }
}
