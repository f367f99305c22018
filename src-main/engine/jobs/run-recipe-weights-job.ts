/**
 * The 'recipe-weights' job: the initial weights a training run of the recipe starts from
 * (createModel with the seed trainModel derives, so the same bits on every backend), written into
 * an exported recipe's folder as initial_weights.npz + initial_weights.architecture.json (the
 * .npz export's two files), for the exported script to start from.
 */
import { join, resolve } from 'node:path';
import { createModel } from '../models/create-model';
import { exportWeights } from '../models/model-weights';
import { exportModelNpz } from '../models/export/npz-export';
import type { RecipeWeightsJobResult, RecipeWeightsJobSpec } from '../protocol';
import type { JobReporter } from '../engine-types';
import { ProgressThrottle } from '../progress/progress-throttle';

export async function runRecipeWeightsJob(
  spec: RecipeWeightsJobSpec,
  reporter: JobReporter,
): Promise<RecipeWeightsJobResult> {
  const progress = new ProgressThrottle(reporter);
  progress.report(0, 'drawing the initial weights', true);
  const model = createModel(spec.model, spec.seed);
  let weights;
  try {
    weights = exportWeights(model);
  } finally {
    model.dispose();
  }
  const folder = resolve(spec.folder);
  const paths = {
    npz: join(folder, 'initial_weights.npz'),
    description: join(folder, 'initial_weights.architecture.json'),
  };
  await exportModelNpz(paths, spec.model, weights);
  progress.report(1, 'wrote the initial weights', true);
  return { kind: 'recipe-weights', files: [paths.npz, paths.description] };
}
