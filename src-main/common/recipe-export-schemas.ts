/**
 * Exporting a training recipe (issue 16): 'jobs.exportRecipe' writes a folder that trains the
 * recipe of a training run (or of a TrainingConfig given as JSON) with PyTorch's
 * DistributedDataParallel. An engine job (it draws the initial weights) with an 'export' run row.
 */
import { z } from 'zod';
import { FilePath, Id } from './reference-schemas';
import { TrainingConfig } from './training-schemas';

/** pytorch: train.py + recipe.json + initial_weights.npz + data/*.npy + README.md. */
export const RecipeExportFormat = z.enum(['pytorch']);
export type RecipeExportFormat = z.infer<typeof RecipeExportFormat>;

export const RecipeExportRequest = z
  .object({
    /** A training run of the project: its recipe. */
    runId: Id.optional(),
    /** Or a recipe not trained here yet (the Train form's, or a JSON file's). */
    trainingConfig: TrainingConfig.optional(),
    format: RecipeExportFormat,
    /** A folder that does not exist yet or is empty; nothing is ever overwritten. */
    folder: FilePath,
  })
  .strict()
  .refine((request) => (request.runId === undefined) !== (request.trainingConfig === undefined), {
    message: 'give either a training run or a training config, not both',
    path: ['runId'],
  });
export type RecipeExportRequest = z.infer<typeof RecipeExportRequest>;
