/**
 * `rfw export --recipe RUN --format pytorch` as a job (issue 16): everything that can be checked
 * is checked first (the run is a training run, the config and its dataset are sound, the folder
 * is new or empty, the project can record a run), so a refused export writes nothing. Then the
 * script, recipe and dataset are written into a temporary folder, an 'export' run is recorded,
 * and an engine job adds the initial weights; the folder is moved into place when it completes,
 * and removed if it fails or is cancelled.
 */
import type { RecipeExportRequest } from '../../common/recipe-export-schemas';
import type { ProjectStore } from '../../db/project-store';
import { deriveSeed } from '../../engine/random/seeded-random';
import type { RecipeWeightsJobSpec } from '../../engine/protocol';
import {
  checkExportFolder,
  commitWrittenFiles,
  prepareExportFolder,
} from '../datasets/export-folder';
import type { JobDefinition } from '../job-runner';
import { writeRecipeFiles } from './recipe-files';
import { recipeSource } from './recipe-source';

export async function defineRecipeExportJob(
  store: ProjectStore,
  input: RecipeExportRequest,
): Promise<JobDefinition> {
  const source = recipeSource(store, input);
  const { request, document } = source;
  if (store.db.readonly) {
    throw new Error(
      'a recipe export is recorded as a run in the project, and another workbench has the project open for writing: export it from that workbench, or close the project there and try again',
    );
  }
  const target = checkExportFolder(request.folder);
  let partial: ReturnType<typeof prepareExportFolder> | null = prepareExportFolder(target);
  try {
    await writeRecipeFiles(store, source, partial);
  } catch (error) {
    partial.discard();
    throw error;
  }
  const what = request.runId === undefined ? document.config.modelName : `run ${request.runId}`;
  const runId = store.runs.insert({
    kind: 'export',
    name: `Export the recipe of ${what} (${request.format})`,
    config: { ...request, folder: target },
    seed: document.config.seed,
    modelId: null,
  });
  const discard = () => {
    partial?.discard();
    partial = null;
  };
  return {
    runId,
    kind: 'export',
    prepare() {
      if (partial === null) throw new Error('the recipe export lost its folder');
      const spec: RecipeWeightsJobSpec = {
        kind: 'recipe-weights',
        model: document.model,
        seed: deriveSeed(document.config.seed, 'weights'),
        folder: partial.path,
      };
      return { spec, transfer: [] };
    },
    onStarted: (backend, engineVersion) => store.runs.markRunning(runId, backend, engineVersion),
    onMetrics: () => {},
    onCompleted(result) {
      if (result.kind !== 'recipe-weights')
        throw new Error('the engine returned the wrong kind of result');
      if (partial === null) throw new Error('the recipe export finished without its folder');
      const files = commitWrittenFiles(partial, result.files);
      partial = null;
      store.runs.finish(runId, 'completed', {
        result: { kind: 'recipe-export', format: request.format, folder: target, files },
      });
    },
    onFailed: (error) => {
      discard();
      store.runs.finish(runId, 'failed', { error });
    },
    onCancelled: () => {
      discard();
      store.runs.finish(runId, 'cancelled');
    },
  };
}
