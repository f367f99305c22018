/**
 * A training run: reads the dataset's train and test splits, trains in the engine, and stores the
 * model with its provenance. The run row exists from the moment the job is accepted. At each
 * epoch end the engine sends a checkpoint, kept in the project (training-checkpoints.ts), so a
 * run cut off by a kill, a closed app, a cancel or a failure can be resumed from it.
 *
 * Saved models: without validation, the final weights. With validation, the best validation
 * checkpoint under the configured name (its epoch is in the run's result and the 'best_epoch'
 * metric), and, when the config asks for it and the best is an earlier epoch, the final weights
 * too as "NAME (final epoch)".
 */
import { TrainingConfig } from '../common/training-schemas';
import type { ProjectStore } from '../db/project-store';
import type { TrainJobSpec } from '../engine/protocol';
import type { TrainingCheckpoint } from '../engine/engine-types';
import { imageBatch, splitIndices } from './datasets/dataset-reading';
import type { JobDefinition } from './job-runner';
import {
  deleteCheckpoints,
  discardMetricsAfter,
  loadCheckpoint,
  saveCheckpoint,
} from './training-checkpoints';

/** Run statuses a training run can be resumed from. */
export const RESUMABLE_STATUSES: ReadonlySet<string> = new Set([
  'interrupted',
  'cancelled',
  'failed',
]);

function trainingJob(
  store: ProjectStore,
  config: TrainingConfig,
  runId: number,
  resume: TrainingCheckpoint | null,
): JobDefinition {
  const dataset = store.datasets.get(config.datasetId);
  const trainIndices = splitIndices(dataset, 'train');
  if (trainIndices.length === 0)
    throw new Error(`dataset "${dataset.name}" has no training images`);
  const model = {
    architecture: config.architecture,
    inputShape: dataset.imageShape,
    numClasses: dataset.classNames.length,
  };
  return {
    runId,
    kind: 'train',
    prepare() {
      const train = imageBatch(store, dataset, trainIndices);
      const test = imageBatch(store, dataset, splitIndices(dataset, 'test'));
      const spec: TrainJobSpec = {
        kind: 'train',
        config,
        model,
        trainImages: train.images,
        trainLabels: train.labels,
        testImages: test.images,
        testLabels: test.labels,
        ...(resume === null ? {} : { resume }),
      };
      const transfer = [train.images.data, train.labels, test.images.data, test.labels].map(
        (array) => array.buffer as ArrayBuffer,
      );
      return { spec, transfer };
    },
    onStarted: (backend, engineVersion) => store.runs.markRunning(runId, backend, engineVersion),
    onMetrics: (step, values) => store.metrics.record(runId, step, values),
    onCheckpoint: (checkpoint) => saveCheckpoint(store, runId, checkpoint),
    onCompleted(result) {
      if (result.kind !== 'train') throw new Error('the engine returned the wrong kind of result');
      store.db.transaction(() => {
        const stored = {
          architecture: config.architecture,
          inputShape: dataset.imageShape,
          numClasses: dataset.classNames.length,
          datasetId: dataset.id,
          trainingRunId: runId,
          robust: config.adversarial !== null,
          parameterCount: result.parameterCount,
        };
        const modelId = store.models.insert({
          ...stored,
          name: config.modelName,
          testAccuracy: result.testAccuracy,
          weights: result.weights,
        });
        const finalModelId =
          result.final === null
            ? null
            : store.models.insert({
                ...stored,
                name: `${config.modelName} (final epoch)`,
                testAccuracy: result.final.testAccuracy,
                weights: result.final.weights,
              });
        deleteCheckpoints(store, runId);
        store.runs.finish(runId, 'completed', {
          modelId,
          result: {
            testAccuracy: result.testAccuracy,
            parameterCount: result.parameterCount,
            bestEpoch: result.bestEpoch,
            finalModelId,
            finalTestAccuracy: result.final?.testAccuracy ?? null,
            augmented: result.augmented,
          },
        });
      })();
    },
    onFailed: (error) => store.runs.finish(runId, 'failed', { error }),
    onCancelled: () => store.runs.finish(runId, 'cancelled'),
  };
}

export function defineTrainingJob(store: ProjectStore, input: TrainingConfig): JobDefinition {
  // Parsing again fills the defaults of fields a caller inside the process left out, so the
  // stored config names every setting the run used.
  const config = TrainingConfig.parse(input);
  const dataset = store.datasets.get(config.datasetId);
  if (splitIndices(dataset, 'train').length === 0)
    throw new Error(`dataset "${dataset.name}" has no training images`);
  const runId = store.runs.insert({
    kind: 'train',
    name: config.modelName,
    config,
    seed: config.seed,
    modelId: null,
  });
  return trainingJob(store, config, runId, null);
}

/**
 * Continues a training run from its last checkpoint, under the same run row: its stored config
 * (older configs load with the defaults of newer fields), the metrics it logged up to the
 * checkpoint, and the same seed, so it ends as the uninterrupted run would have.
 */
export function defineTrainingResume(store: ProjectStore, runId: number): JobDefinition {
  const run = store.runs.summary(runId);
  if (run.kind !== 'train')
    throw new Error(`run ${runId} is a ${run.kind} run, not a training run`);
  if (!RESUMABLE_STATUSES.has(run.status)) {
    throw new Error(
      `run ${runId} is ${run.status}; only an interrupted, cancelled or failed run can be resumed`,
    );
  }
  const config = store.runs.config(runId, TrainingConfig);
  const checkpoint = loadCheckpoint(store, runId);
  if (checkpoint === null) {
    throw new Error(
      `run ${runId} has no checkpoint to resume from: it stopped before its first epoch ended`,
    );
  }
  const definition = trainingJob(store, config, runId, checkpoint);
  discardMetricsAfter(store, runId, checkpoint.step);
  return definition;
}
