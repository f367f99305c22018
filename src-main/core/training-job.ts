/**
 * A training run: reads the dataset's train and test splits, trains in the engine, and stores the
 * model with its provenance. The run row exists from the moment the job is accepted.
 */
import type { TrainingConfig } from '../common/schemas';
import type { DatasetRecord } from '../db/repositories/dataset-repository';
import type { ProjectStore } from '../db/project-store';
import type { ImageBatch, TrainJobSpec } from '../engine/protocol';
import type { JobDefinition } from './job-runner';

export function splitIndices(dataset: DatasetRecord, split: 'train' | 'test'): number[] {
  const mark = split === 'train' ? 0 : 1;
  const indices: number[] = [];
  dataset.splits.forEach((value, index) => {
    if (value === mark) indices.push(index);
  });
  return indices;
}

export function imageBatch(
  store: ProjectStore,
  dataset: DatasetRecord,
  indices: readonly number[],
): { images: ImageBatch; labels: Int32Array } {
  const [height, width, channels] = dataset.imageShape;
  const data = store.datasets.readImages(dataset, indices);
  const labels = Int32Array.from(indices, (index) => dataset.labels[index] ?? -1);
  return { images: { shape: [indices.length, height, width, channels], data }, labels };
}

export function defineTrainingJob(store: ProjectStore, config: TrainingConfig): JobDefinition {
  const dataset = store.datasets.get(config.datasetId);
  const trainIndices = splitIndices(dataset, 'train');
  if (trainIndices.length === 0)
    throw new Error(`dataset "${dataset.name}" has no training images`);
  const runId = store.runs.insert({
    kind: 'train',
    name: config.modelName,
    config,
    seed: config.seed,
    modelId: null,
  });
  return {
    runId,
    kind: 'train',
    prepare() {
      const train = imageBatch(store, dataset, trainIndices);
      const test = imageBatch(store, dataset, splitIndices(dataset, 'test'));
      const spec: TrainJobSpec = {
        kind: 'train',
        config,
        model: {
          architecture: config.architecture,
          inputShape: dataset.imageShape,
          numClasses: dataset.classNames.length,
        },
        trainImages: train.images,
        trainLabels: train.labels,
        testImages: test.images,
        testLabels: test.labels,
      };
      const transfer = [train.images.data, train.labels, test.images.data, test.labels].map(
        (array) => array.buffer as ArrayBuffer,
      );
      return { spec, transfer };
    },
    onStarted: (backend, engineVersion) => store.runs.markRunning(runId, backend, engineVersion),
    onMetrics: (step, values) => store.metrics.record(runId, step, values),
    onCompleted(result) {
      if (result.kind !== 'train') throw new Error('the engine returned the wrong kind of result');
      store.db.transaction(() => {
        const modelId = store.models.insert({
          name: config.modelName,
          architecture: config.architecture,
          inputShape: dataset.imageShape,
          numClasses: dataset.classNames.length,
          datasetId: dataset.id,
          trainingRunId: runId,
          robust: config.adversarial !== null,
          parameterCount: result.parameterCount,
          testAccuracy: result.testAccuracy,
          weights: result.weights,
        });
        store.runs.finish(runId, 'completed', {
          modelId,
          result: { testAccuracy: result.testAccuracy, parameterCount: result.parameterCount },
        });
      })();
    },
    onFailed: (error) => store.runs.finish(runId, 'failed', { error }),
    onCancelled: () => store.runs.finish(runId, 'cancelled'),
  };
}
