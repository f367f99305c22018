/**
 * The recipe an export is asked for: a training run's config (checked to be a training run of
 * this project) or a config given directly; its dataset and the model it trains. Everything is
 * checked here, before anything is written.
 */
import { RecipeExportRequest } from '../../common/recipe-export-schemas';
import { TrainingConfig } from '../../common/training-schemas';
import type { ProjectStore } from '../../db/project-store';
import type { DatasetRecord } from '../../db/repositories/dataset-repository';
import { splitIndices } from '../datasets/dataset-reading';
import type { RecipeDocument } from './recipe-document';

export interface RecipeSource {
  request: RecipeExportRequest;
  document: RecipeDocument;
  dataset: DatasetRecord;
}

export function recipeSource(store: ProjectStore, input: RecipeExportRequest): RecipeSource {
  const request = RecipeExportRequest.parse(input);
  let config: TrainingConfig;
  if (request.runId !== undefined) {
    const run = store.runs.summary(request.runId);
    if (run.kind !== 'train') {
      throw new Error(
        `run ${request.runId} is a${/^[aeiou]/.test(run.kind) ? 'n' : ''} ${run.kind} run, not a training run: a recipe is exported from a training run`,
      );
    }
    config = store.runs.config(request.runId, TrainingConfig);
  } else {
    config = TrainingConfig.parse(request.trainingConfig);
  }
  const dataset = store.datasets.get(config.datasetId);
  if (splitIndices(dataset, 'train').length === 0) {
    throw new Error(`dataset "${dataset.name}" has no training images`);
  }
  return {
    request,
    dataset,
    document: {
      format: 'rfw-training-recipe',
      version: 1,
      config,
      model: {
        architecture: config.architecture,
        inputShape: dataset.imageShape,
        numClasses: dataset.classNames.length,
      },
      dataset: { id: dataset.id, name: dataset.name },
      runId: request.runId ?? null,
    },
  };
}
