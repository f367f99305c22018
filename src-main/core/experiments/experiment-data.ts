/**
 * What every experiment job sends the engine: the dataset's train and test splits and the
 * project models it starts from, with the buffers to transfer. Checks first that each model
 * takes the dataset's images and classes, so a mismatch fails before a run row exists.
 */
import type { DatasetRecord } from '../../db/repositories/dataset-repository';
import type { ProjectStore } from '../../db/project-store';
import type { ExperimentJobResult, ExperimentJobSpec } from '../../engine/protocol';
import type { ExperimentConfig, ExperimentResult } from '../../common/experiment-schemas';
import type { JobDefinition } from '../job-runner';
import { modelSpecOf } from '../model-spec';
import { imageBatch, splitIndices } from '../datasets/dataset-reading';

export function checkModelFits(store: ProjectStore, modelId: number, dataset: DatasetRecord): void {
  const model = store.models.get(modelId);
  if (model.inputShape.join('×') !== dataset.imageShape.join('×')) {
    throw new Error(
      `model "${model.name}" takes ${model.inputShape.join('×')} images but dataset "${dataset.name}" has ${dataset.imageShape.join('×')}`,
    );
  }
  if (model.numClasses !== dataset.classNames.length) {
    throw new Error(
      `model "${model.name}" has ${model.numClasses} classes but dataset "${dataset.name}" has ${dataset.classNames.length}`,
    );
  }
}

export function checkSplits(dataset: DatasetRecord, needTraining: boolean): void {
  if (needTraining && splitIndices(dataset, 'train').length === 0)
    throw new Error(`dataset "${dataset.name}" has no training images`);
  if (splitIndices(dataset, 'test').length === 0)
    throw new Error(`dataset "${dataset.name}" has no test images`);
}

export function experimentSpec(
  store: ProjectStore,
  config: ExperimentConfig,
  dataset: DatasetRecord,
  modelIds: readonly number[],
  withTraining: boolean,
): { spec: ExperimentJobSpec; transfer: ArrayBuffer[] } {
  const [height, width, channels] = dataset.imageShape;
  const train = withTraining
    ? imageBatch(store, dataset, splitIndices(dataset, 'train'))
    : {
        images: {
          shape: [0, height, width, channels] as [number, number, number, number],
          data: new Uint8Array(0),
        },
        labels: new Int32Array(0),
      };
  const test = imageBatch(store, dataset, splitIndices(dataset, 'test'));
  const spec: ExperimentJobSpec = {
    kind: 'experiment',
    config,
    numClasses: dataset.classNames.length,
    trainImages: train.images,
    trainLabels: train.labels,
    testImages: test.images,
    testLabels: test.labels,
    models: modelIds.map((id) => {
      const model = store.models.get(id);
      return {
        id,
        spec: modelSpecOf(model),
        weights: store.models.weights(id),
      };
    }),
  };
  const transfer = [train.images.data, train.labels, test.images.data, test.labels].map(
    (array) => array.buffer as ArrayBuffer,
  );
  return { spec, transfer };
}

/**
 * The JobDefinition every experiment shares: a run row of kind 'experiment' from the moment the
 * job is accepted, metrics recorded as they come, and `complete` turning the engine's result into
 * the stored one inside one transaction (a failure there rolls everything back and fails the run).
 */
export function experimentJob(
  store: ProjectStore,
  config: ExperimentConfig,
  modelId: number | null,
  prepare: () => { spec: ExperimentJobSpec; transfer: ArrayBuffer[] },
  complete: (result: ExperimentJobResult, runId: number) => ExperimentResult,
): JobDefinition {
  const runId = store.runs.insert({
    kind: 'experiment',
    name: config.name,
    config,
    seed: config.seed,
    modelId,
  });
  return {
    runId,
    kind: 'experiment',
    prepare,
    onStarted: (backend, engineVersion) => store.runs.markRunning(runId, backend, engineVersion),
    onMetrics: (step, values) => store.metrics.record(runId, step, values),
    onCompleted(result) {
      if (result.kind !== 'experiment' || result.summary.type !== config.type) {
        throw new Error('the engine returned the wrong kind of result');
      }
      store.db.transaction(() => {
        store.runs.finish(runId, 'completed', { result: complete(result, runId) });
      })();
    },
    onFailed: (error) => store.runs.finish(runId, 'failed', { error }),
    onCancelled: () => store.runs.finish(runId, 'cancelled'),
  };
}
