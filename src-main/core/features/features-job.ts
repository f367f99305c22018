/**
 * A features-lab view as a project run (kind 'features'): the run row exists from the moment the
 * job is accepted; on completion every picture the engine kept becomes a float32 artifact and the
 * figure is stored with artifact ids in place of the engine's keys, in one transaction.
 */
import type { FeaturesConfig } from '../../common/features-schemas';
import type { FeaturesResult } from '../../common/features-result-schemas';
import type { ProjectStore } from '../../db/project-store';
import type { DatasetRecord } from '../../db/repositories/dataset-repository';
import type { FeaturesJobResult, FeaturesJobSpec, LabeledImages } from '../../engine/protocol';
import { checkModelFits } from '../experiments/experiment-data';
import type { JobDefinition } from '../job-runner';
import { modelSpecOf } from '../model-spec';
import { imageBatch } from '../datasets/dataset-reading';
import { checkAgainstDataset, inputIndices, poolIndices } from './features-inputs';

function labeledImages(
  store: ProjectStore,
  dataset: DatasetRecord,
  indices: readonly number[],
): LabeledImages {
  const { images, labels } = imageBatch(store, dataset, indices);
  return { images, labels, indices: Int32Array.from(indices) };
}

function buffersOf(images: LabeledImages): ArrayBuffer[] {
  return [images.images.data, images.labels, images.indices].map(
    (array) => array.buffer as ArrayBuffer,
  );
}

/** Stores the outputs as artifacts and returns the figure with artifact ids. */
export function storeFeaturesResult(
  store: ProjectStore,
  runId: number,
  result: FeaturesJobResult,
): FeaturesResult {
  const ids = new Map<string, number>();
  for (const output of result.outputs) {
    ids.set(
      output.key,
      store.artifacts.insert({
        runId,
        kind: output.shape.length === 2 ? 'feature-map' : 'feature-image',
        shape: output.shape,
        data: output.data,
        meta: { key: output.key },
      }),
    );
  }
  const idOf = (key: string): number => {
    const id = ids.get(key);
    if (id === undefined) throw new Error(`the engine's figure refers to a missing picture ${key}`);
    return id;
  };
  const { summary } = result;
  return {
    ...summary,
    curveX: summary.curveX ?? 'step',
    panels: summary.panels.map((panel) => ({
      ...panel,
      rows: panel.rows.map((row) => ({
        caption: row.caption,
        cells: row.cells.map((cell) => ({
          artifactId: idOf(cell.output),
          caption: cell.caption,
          display: cell.display,
          baseArtifactId: cell.base === null ? null : idOf(cell.base),
          numbers: cell.numbers,
        })),
      })),
    })),
  };
}

export function defineFeaturesJob(store: ProjectStore, config: FeaturesConfig): JobDefinition {
  const dataset = store.datasets.get(config.datasetId);
  for (const id of config.modelIds) checkModelFits(store, id, dataset);
  checkAgainstDataset(config, dataset);
  const runId = store.runs.insert({
    kind: 'features',
    name: config.name,
    config,
    seed: config.seed,
    modelId: config.modelIds[0] ?? null,
  });
  return {
    runId,
    kind: 'features',
    prepare() {
      const inputs = labeledImages(store, dataset, inputIndices(config));
      const poolList = poolIndices(config, dataset);
      const pool = poolList === null ? null : labeledImages(store, dataset, poolList);
      const spec: FeaturesJobSpec = {
        kind: 'features',
        config,
        classNames: dataset.classNames,
        models: config.modelIds.map((id) => {
          const model = store.models.get(id);
          return {
            id,
            name: model.name,
            spec: modelSpecOf(model),
            weights: store.models.weights(id),
          };
        }),
        inputs,
        pool,
      };
      return { spec, transfer: [...buffersOf(inputs), ...(pool === null ? [] : buffersOf(pool))] };
    },
    onStarted: (backend, engineVersion) => store.runs.markRunning(runId, backend, engineVersion),
    onMetrics: (step, values) => store.metrics.record(runId, step, values),
    onCompleted(result) {
      if (result.kind !== 'features' || result.summary.view !== config.view) {
        throw new Error('the engine returned the wrong kind of result');
      }
      store.db.transaction(() => {
        store.runs.finish(runId, 'completed', {
          result: storeFeaturesResult(store, runId, result),
        });
      })();
    },
    onFailed: (error) => store.runs.finish(runId, 'failed', { error }),
    onCancelled: () => store.runs.finish(runId, 'cancelled'),
  };
}
