/**
 * An attack run: the chosen model against chosen images. Stores, per image, the original, the
 * perturbation δ = x_adv − x and the adversarial image (full float32 precision) as artifacts, and
 * the summary (accuracies, loss per step, top-5 predictions, norms) as the run's result.
 */
import type { AttackConfig, AttackExample, AttackResult } from '../common/schemas';
import type { ProjectStore } from '../db/project-store';
import type { AttackJobSpec } from '../engine/protocol';
import type { JobDefinition } from './job-runner';
import { imageBatch } from './training-job';

/** The stored result; the run id is added when it is read back. */
export type StoredAttackResult = Omit<AttackResult, 'runId'>;

export function defineAttackJob(store: ProjectStore, config: AttackConfig): JobDefinition {
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
  // Reading the images now checks every index before anything is written.
  const batch = imageBatch(store, dataset, config.indices);
  const [height, width, channels] = dataset.imageShape;
  const runId = store.runs.insert({
    kind: 'attack',
    name: `${config.method.toUpperCase()} ${config.perturbation.constraint === 'linf' ? 'L∞' : 'L2'} ε=${config.perturbation.epsilon} on ${model.name}`,
    config,
    seed: config.seed,
    modelId: model.id,
  });
  return {
    runId,
    kind: 'attack',
    prepare() {
      const weights = store.models.weights(model.id);
      const spec: AttackJobSpec = {
        kind: 'attack',
        config,
        model: {
          architecture: model.architecture,
          inputShape: model.inputShape,
          numClasses: model.numClasses,
        },
        weights,
        images: { shape: [...batch.images.shape], data: batch.images.data.slice() },
        labels: batch.labels.slice(),
      };
      return { spec, transfer: [] };
    },
    onStarted: (backend, engineVersion) => store.runs.markRunning(runId, backend, engineVersion),
    onMetrics: (step, values) => store.metrics.record(runId, step, values),
    onCompleted(result) {
      if (result.kind !== 'attack') throw new Error('the engine returned the wrong kind of result');
      const imageSize = height * width * channels;
      const scale = batch.images.data instanceof Uint8Array ? 1 / 255 : 1;
      store.db.transaction(() => {
        const examples: AttackExample[] = result.examples.map((example, n) => {
          const original = batch.images.data.subarray(n * imageSize, (n + 1) * imageSize);
          const adversarial = result.adversarial.slice(n * imageSize, (n + 1) * imageSize);
          const perturbation = adversarial.map((value, p) => value - (original[p] ?? 0) * scale);
          const index = config.indices[n] ?? -1;
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
            success: example.success,
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
