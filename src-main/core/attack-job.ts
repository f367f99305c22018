/**
 * An attack run: the chosen model against chosen images. Stores, per image, the original, the
 * perturbation δ = x_adv − x and the adversarial image (full float32 precision) as artifacts, and
 * the summary (accuracies, loss per step, top-5 predictions, norms, and each image's clean and
 * adversarial cross-entropy for the per-example export) as the run's result.
 */
import { epsilonProblems } from '../common/perturbation-limits';
import { attackDefaults } from '../common/attack-defaults';
import { attackDescriptor } from '../common/attacks/attack-registry';
import {
  AttackConfig,
  StoredAttackResult,
  type AttackExample,
  type AttackResult,
} from '../common/attack-schemas';
import {
  attackConfigProblems,
  withAttackDefaults,
  type CompleteAttackConfig,
} from '../common/evaluation-schemas';
import type { StoredAttackExampleLosses } from '../common/run-results-schemas';
import type { ProjectStore } from '../db/project-store';
import { mergeAttackResults, shardPlan } from '../engine/jobs/job-shards';
import type { AttackJobSpec } from '../engine/protocol';
import type { JobDefinition } from './job-runner';
import { modelSpecOf } from './model-spec';
import { batchSlice, imageBatch } from './datasets/dataset-reading';
import { attackDatasetIndices, withSplitPositions } from './attack-images';

/** The stored result; the run id is added when it is read back. */
export type { StoredAttackResult };

/** An example as stored: what the clients read, and the losses the export reads. */
type StoredExample = AttackExample & StoredAttackExampleLosses;

const constraintNames = { linf: 'L∞', l2: 'L2', unconstrained: 'unconstrained' } as const;

/** e.g. "PGD (cw-margin) L∞ ε=0.3 on small CNN". */
function runName(config: CompleteAttackConfig, modelName: string): string {
  const method = attackDescriptor(config.method);
  // The loss is named where the method offers a choice and another than the default was chosen.
  const loss =
    method.losses.length > 1 && config.loss !== attackDefaults.loss ? ` (${config.loss})` : '';
  return `${method.label}${loss} ${constraintNames[config.perturbation.constraint]} ε=${config.perturbation.epsilon} on ${modelName}`;
}

/** What the model's class count rules out, as a message (null: fine). */
function classCountProblem(config: CompleteAttackConfig, classes: number): string | null {
  const needs = attackDescriptor(config.method).classes;
  if (needs !== null && classes < needs.min)
    return `${needs.why} needs at least ${needs.min} classes; the model has ${classes}`;
  if ((config.loss === 'dlr' || config.loss === 'dlr-targeted') && classes < 3)
    return `the DLR loss needs at least 3 classes; the model has ${classes}`;
  return null;
}

export function defineAttackJob(
  store: ProjectStore,
  input: AttackConfig,
  workers: number,
): JobDefinition {
  // Recorded with every field filled, so the run says exactly what ran.
  const config = withAttackDefaults(input);
  const problems = attackConfigProblems(config);
  if (problems.length > 0) throw new Error(problems.join('; '));
  const model = store.models.get(config.modelId);
  const dataset = store.datasets.get(config.datasetId);
  if (model.datasetId !== dataset.id) {
    // Only the shape has to agree; a model may be attacked on another dataset of the same shape.
    if (model.inputShape.join('×') !== dataset.imageShape.join('×')) {
      throw new Error(
        `model "${model.name}" takes ${model.inputShape.join('×')} images but dataset "${dataset.name}" has ${dataset.imageShape.join('×')}`,
      );
    }
  }
  if (config.targetClass !== null && config.targetClass >= model.numClasses) {
    throw new Error(
      `target class ${config.targetClass} does not exist: the model has classes 0 to ${model.numClasses - 1}`,
    );
  }
  const classProblem = classCountProblem(config, model.numClasses);
  if (classProblem !== null) throw new Error(classProblem);
  const { constraint, epsilon, stepSize } = config.perturbation;
  const tooLarge = [
    ...epsilonProblems(constraint, [epsilon], dataset.imageShape),
    ...epsilonProblems(constraint, [stepSize], dataset.imageShape, 'step size'),
  ];
  if (tooLarge.length > 0) throw new Error(tooLarge.join('; '));
  // Reading the images now checks every index before anything is written.
  const datasetIndices = attackDatasetIndices(dataset, config.indices, config.indexSpace);
  const batch = imageBatch(store, dataset, datasetIndices);
  const [height, width, channels] = dataset.imageShape;
  const imageSize = height * width * channels;
  const runId = store.runs.insert({
    kind: 'attack',
    name: runName(config, model.name),
    config,
    seed: config.seed,
    modelId: model.id,
  });
  return {
    runId,
    kind: 'attack',
    prepare() {
      const weights = store.models.weights(model.id);
      const modelSpec = modelSpecOf(model);
      const shards = shardPlan(config.indices.length, workers).map(
        ({ first, count, batchOffset }) => {
          const spec: AttackJobSpec = {
            kind: 'attack',
            config,
            model: modelSpec,
            weights,
            ...batchSlice(batch, first, count),
            batchOffset,
          };
          return { spec, transfer: [], weight: count / config.indices.length };
        },
      );
      return { shards, merge: mergeAttackResults };
    },
    onStarted: (backend, engineVersion) => store.runs.markRunning(runId, backend, engineVersion),
    onMetrics: (step, values) => store.metrics.record(runId, step, values),
    onCompleted(result) {
      if (result.kind !== 'attack') throw new Error('the engine returned the wrong kind of result');
      const scale = batch.images.data instanceof Uint8Array ? 1 / 255 : 1;
      store.db.transaction(() => {
        const examples: StoredExample[] = result.examples.map((example, n) => {
          const original = batch.images.data.subarray(n * imageSize, (n + 1) * imageSize);
          const adversarial = result.adversarial.slice(n * imageSize, (n + 1) * imageSize);
          const perturbation = adversarial.map((value, p) => value - (original[p] ?? 0) * scale);
          const index = datasetIndices[n] ?? -1;
          const meta = { index, label: batch.labels[n] };
          const save = (kind: string, data: Uint8Array | Float32Array) =>
            store.artifacts.insert({ runId, kind, shape: [height, width, channels], data, meta });
          return {
            index,
            label: batch.labels[n] ?? -1,
            originalArtifactId: save('original', original.slice()),
            perturbationArtifactId: save('perturbation', perturbation),
            adversarialArtifactId: save('adversarial', adversarial),
            cleanTop5: example.cleanTop5,
            adversarialTop5: example.adversarialTop5,
            linfNorm: example.linfNorm,
            l2Norm: example.l2Norm,
            cleanLoss: example.cleanLoss,
            adversarialLoss: example.adversarialLoss,
            success: example.success,
            cleanCorrect: example.cleanCorrect,
            ...(example.queries === undefined ? {} : { queries: example.queries }),
            ...(example.stalled === undefined ? {} : { stalled: example.stalled }),
          };
        });
        const stored: StoredAttackResult = {
          config,
          cleanAccuracy: result.cleanAccuracy,
          robustAccuracy: result.robustAccuracy,
          lossPerStep: result.lossPerStep,
          examples,
        };
        store.runs.finish(runId, 'completed', { result: stored });
      })();
    },
    onFailed: (error) => store.runs.finish(runId, 'failed', { error }),
    onCancelled: () => store.runs.finish(runId, 'cancelled'),
  };
}

/**
 * A finished attack run as the clients see it: the config with every field filled (a run saved
 * before `indexSpace` existed reads as 'dataset', which is what it ran on), and each example with
 * its split, so that a training image among them can be flagged.
 */
export function readAttackResult(store: ProjectStore, runId: number): AttackResult {
  const { result: stored } = store.runs.completed(runId, 'attack', {
    config: AttackConfig,
    result: StoredAttackResult,
  });
  const config = withAttackDefaults(stored.config);
  // The dataset may have been deleted since (only models pin theirs); then the splits are unknown.
  const dataset = store.datasets.list().find((record) => record.id === config.datasetId);
  const examples = dataset ? withSplitPositions(dataset, stored.examples) : stored.examples;
  return { runId, ...stored, config, examples };
}
