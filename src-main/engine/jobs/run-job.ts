/**
 * The one entry the worker (and in-process callers such as tests or a CLI without workers)
 * uses: dispatch a job spec to its runner. Assumes a backend was selected (selectBackend).
 */
import type { JobResult, JobSpec } from '../protocol';
import type { JobReporter } from '../engine-types';
import { runAttackJob } from './run-attack-job';
import { runEvaluationJob } from './run-evaluation-job';
import { runExperimentJob } from './run-experiment-job';
import { runFeaturesJob } from './run-features-job';
import { runModelExportJob } from './run-model-export-job';
import { runModelImportJob } from './run-model-import-job';
import { runRecipeWeightsJob } from './run-recipe-weights-job';
import { runTrainJob } from './run-train-job';

export async function runJob(spec: JobSpec, reporter: JobReporter): Promise<JobResult> {
  // Awaiting once lets the caller's message handler return before the (synchronous) tensor work.
  await Promise.resolve();
  switch (spec.kind) {
    case 'train':
      return runTrainJob(spec, reporter);
    case 'attack':
      return runAttackJob(spec, reporter);
    case 'experiment':
      return runExperimentJob(spec, reporter);
    case 'evaluation':
      return runEvaluationJob(spec, reporter);
    case 'model-import':
      return runModelImportJob(spec, reporter);
    case 'model-export':
      return runModelExportJob(spec, reporter);
    case 'recipe-weights':
      return runRecipeWeightsJob(spec, reporter);
    case 'features':
      return runFeaturesJob(spec, reporter);
    default: {
      const unknown: { kind?: unknown } = spec;
      throw new Error(`unknown job kind ${String(unknown.kind)}`);
    }
  }
}
