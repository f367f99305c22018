/**
 * A robustness evaluation run (issue 4 §5): one model, the first N test images, curves of robust
 * accuracy over ε for each chosen attack, the worst case, and the sanity checks. Split over the
 * engine workers like an attack (whole ATTACK_BATCH batches, seeded by their global index); the
 * shards' counts are added and the curves and checks computed once on the total, so the stored
 * result is the one a single worker would have produced. Stores the summary JSON (the failed
 * checks repeated in `warnings`) and, for the export of the results, two kinds of artifacts:
 * the per-example records of every curve run ('evaluation-examples', run-results-schemas.ts)
 * and per ε the worst-case adversarial images ('evaluation-worst-case', float32 [N, H, W, C]).
 */
import { attackDescriptor } from '../common/attacks/attack-registry';
import type { EvaluationConfig, EvaluationResult } from '../common/evaluation-schemas';
import { epsilonProblems } from '../common/perturbation-limits';
import type { ProjectStore } from '../db/project-store';
import { mergeEvaluationResults, shardPlan } from '../engine/jobs/job-shards';
import type { EvaluationJobSpec } from '../engine/protocol';
import type { EvaluationExampleRecords } from '../engine/jobs/evaluation-example-records';
import type { EvaluationExamplesMeta } from '../common/run-results-schemas';
import type { ModelSpec } from '../engine/engine-types';
import { checkModelFits } from './experiments/experiment-data';
import type { JobDefinition } from './job-runner';
import { modelSpecOf } from './model-spec';
import { batchSlice, imageBatch, splitIndices } from './datasets/dataset-reading';

const norms = { linf: 'L∞', l2: 'L2' } as const;

export function defineEvaluationJob(
  store: ProjectStore,
  config: EvaluationConfig,
  workers: number,
): JobDefinition {
  const model = store.models.get(config.modelId);
  const dataset = store.datasets.get(config.datasetId);
  checkModelFits(store, model.id, dataset);
  const tooLarge = epsilonProblems(config.constraint, config.epsilons, dataset.imageShape);
  if (tooLarge.length > 0) throw new Error(tooLarge.join('; '));
  for (const attack of config.attacks) {
    const needs = attackDescriptor(attack.method).classes;
    if (needs !== null && model.numClasses < needs.min) {
      throw new Error(
        `${needs.why} needs at least ${needs.min} classes; model "${model.name}" has ${model.numClasses}`,
      );
    }
  }
  const source = config.transferModelId === null ? null : store.models.get(config.transferModelId);
  if (source !== null) checkModelFits(store, source.id, dataset);
  const test = splitIndices(dataset, 'test');
  if (test.length === 0) throw new Error(`dataset "${dataset.name}" has no test images`);
  const indices = test.slice(0, config.count);
  const runId = store.runs.insert({
    kind: 'evaluation',
    name: `Evaluate ${model.name}: ${config.attacks.map((a) => a.method).join(', ')}${source === null ? '' : ' + transfer'} ${norms[config.constraint]} on ${indices.length} images`,
    config,
    seed: config.seed,
    modelId: model.id,
  });
  // The labels as the engine got them (prepare reads the batch; the export needs them too).
  let labels: Int32Array | null = null;
  const batchLabels = (): Int32Array => {
    if (labels === null) throw new Error('the evaluation finished before its images were read');
    return labels;
  };
  const specOf = (id: number): ModelSpec => {
    return modelSpecOf(store.models.get(id));
  };
  return {
    runId,
    kind: 'evaluation',
    prepare() {
      const batch = imageBatch(store, dataset, indices);
      labels = batch.labels;
      const weights = store.models.weights(model.id);
      const transferSource =
        source === null
          ? null
          : { id: source.id, spec: specOf(source.id), weights: store.models.weights(source.id) };
      const shards = shardPlan(indices.length, workers).map(({ first, count, batchOffset }) => {
        const spec: EvaluationJobSpec = {
          kind: 'evaluation',
          config,
          model: specOf(model.id),
          weights,
          transferSource,
          ...batchSlice(batch, first, count),
          batchOffset,
        };
        return { spec, transfer: [], weight: count / indices.length };
      });
      return { shards, merge: mergeEvaluationResults };
    },
    onStarted: (backend, engineVersion) => store.runs.markRunning(runId, backend, engineVersion),
    onMetrics: (step, values) => store.metrics.record(runId, step, values),
    onCompleted(result) {
      if (result.kind !== 'evaluation')
        throw new Error('the engine returned the wrong kind of result');
      const records = result.measurements.perExample;
      store.db.transaction(() => {
        const exampleArtifacts = storeExampleRecords(
          store,
          runId,
          records,
          indices,
          batchLabels(),
          dataset.imageShape,
        );
        const stored: EvaluationResult = { ...result.summary, exampleArtifacts };
        store.runs.finish(runId, 'completed', { result: stored });
      })();
    },
    onFailed: (error) => store.runs.finish(runId, 'failed', { error }),
    onCancelled: () => store.runs.finish(runId, 'cancelled'),
  };
}

/**
 * The curve runs' per-example records as artifacts of the run: one 'evaluation-examples' float32
 * tensor [E, A, N, 4] (its meta: EvaluationExamplesMeta) and one 'evaluation-worst-case' float32
 * [N, H, W, C] per ε. The runs come ε-major, attack-minor, N records each: laid end to end they
 * are the [E, A, N, 4] tensor.
 */
function storeExampleRecords(
  store: ProjectStore,
  runId: number,
  records: EvaluationExampleRecords,
  indices: readonly number[],
  labels: Int32Array,
  imageShape: readonly number[],
): { examples: number; worstCase: number[] } {
  const n = records.count;
  if (n !== indices.length || labels.length !== n)
    throw new Error(`the evaluation returned ${n} examples for ${indices.length} images`);
  const epsilons = records.worstImages.length;
  const attacks = records.runs.length / Math.max(1, epsilons);
  const values = new Float32Array(records.runs.reduce((sum, run) => sum + run.length, 0));
  let offset = 0;
  for (const run of records.runs) {
    values.set(run, offset);
    offset += run.length;
  }
  const meta: EvaluationExamplesMeta = {
    indices: [...indices],
    labels: Array.from(labels),
    cleanPredictions: records.cleanPredictions,
    cleanLosses: records.cleanLosses,
    worstAttack: records.worstAttack,
  };
  const examples = store.artifacts.insert({
    runId,
    kind: 'evaluation-examples',
    shape: [epsilons, attacks, n, values.length / Math.max(1, epsilons * attacks * n)],
    data: values,
    meta,
  });
  const worstCase = records.worstImages.map((images, epsilon) =>
    store.artifacts.insert({
      runId,
      kind: 'evaluation-worst-case',
      shape: [n, ...imageShape],
      data: images,
      meta: { epsilonIndex: epsilon },
    }),
  );
  return { examples, worstCase };
}
