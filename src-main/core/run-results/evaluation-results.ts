/**
 * An evaluation run's per-example results as the export writes them. With E curve ε (0 first,
 * ascending; run.json lists them exactly), A attacks (the curves' order; run.json names them) and
 * N images (the first N of the dataset's test split):
 *   examples     E·A·N rows, ε-major, then attack, then image: what the model said at every
 *                curve run's returned point;
 *   worst_case   E·N rows, ε-major, then image: per image and ε the worst case over the attacks
 *                (the first attack that misclassified it, else the one with the highest loss);
 *                `robust` is the evaluation's per-image worst case, so its mean per ε is the
 *                stored worst-case accuracy;
 *   clean.npy    float32 [N, H, W, C] in [0, 1] (absent where the dataset has been deleted);
 *   adversarial/eps_<e>.npy   float32 [N, H, W, C]: the worst-case images at curve ε number e.
 */
import { EvaluationConfig, EvaluationResult } from '../../common/evaluation-schemas';
import { EvaluationExamplesMeta, evaluationRecordFields } from '../../common/run-results-schemas';
import { fromBlob } from '../../db/repositories/blob-codec';
import type { ProjectStore } from '../../db/project-store';
import { imageBatch, splitIndices } from '../datasets/dataset-reading';
import { runDescription, type ExportedRun } from './attack-results';
import type { ResultsTable } from './results-table';
import { unitPixels } from './pixels';

/** What each column holds, for run.json and the README. */
export const evaluationColumns: Record<string, string> = {
  epsilon_index: 'which ε of the curves (run.json epsilons), 0-based',
  epsilon: 'that ε (float32; run.json has the exact value), in the constraint’s norm, pixel units',
  attack_index: 'which attack (run.json attacks), 0-based',
  row: 'row of clean.npy and adversarial/eps_<e>.npy (0-based)',
  dataset_index: "the image's index in the dataset (all splits, 0-based)",
  test_index: "its position in the dataset's test split (the evaluation takes the first N)",
  label: 'true class',
  clean_prediction: 'argmax of the logits on the clean image',
  clean_correct: '1 if clean_prediction == label',
  clean_loss: 'cross-entropy −log softmax(logits)_label on the clean image, nats',
  worst_attack: 'the attack whose image is the worst case (attack_index)',
  adversarial_prediction: "argmax of the logits on the attack's returned image",
  adversarial_correct: '1 if adversarial_prediction == label',
  adversarial_loss: 'cross-entropy at the label on that image, nats',
  linf_norm: "‖x' − x‖∞ in pixel units (images in [0, 1])",
  l2_norm: "‖x' − x‖₂ in pixel units, over all H·W·C values",
  robust: '1 if clean_correct and every attack left the image correctly classified at this ε',
};

export function evaluationResults(store: ProjectStore, runId: number): ExportedRun {
  const { run, config, result } = store.runs.completed(runId, 'evaluation', {
    config: EvaluationConfig,
    result: EvaluationResult,
  });
  const artifacts = result.exampleArtifacts;
  if (artifacts === undefined)
    throw new Error(
      `evaluation run ${runId} was saved before evaluations kept their per-example results: run it again to export them`,
    );
  const record = store.artifacts.get(artifacts.examples, EvaluationExamplesMeta);
  const meta = record.meta;
  const values = fromBlob.float32(record.data);
  const [epsilons, attacks, n] = record.shape;
  const fields = evaluationRecordFields.length;
  if (
    epsilons !== result.epsilons.length ||
    attacks !== result.curves.length ||
    n !== result.examples ||
    values.length !== epsilons * attacks * n * fields ||
    meta.indices.length !== n ||
    artifacts.worstCase.length !== epsilons
  )
    throw new Error(
      `evaluation run ${runId}: its per-example records (${record.shape.join('×')}) do not match its result`,
    );
  const field = (name: (typeof evaluationRecordFields)[number]) =>
    evaluationRecordFields.indexOf(name);
  /** The record of (ε e, attack a, image i). */
  const value = (e: number, a: number, i: number, name: (typeof evaluationRecordFields)[number]) =>
    values[((e * attacks + a) * n + i) * fields + field(name)] ?? NaN;
  const label = (i: number) => meta.labels[i] ?? -1;
  const cleanPrediction = (i: number) => meta.cleanPredictions[i] ?? -1;
  // The dataset may have been deleted since (only models pin theirs): no test positions, no clean.npy.
  const dataset = store.datasets.list().find((d) => d.id === config.datasetId);
  /** Dataset index → position in the test split. */
  const test = new Map(
    (dataset === undefined ? [] : splitIndices(dataset, 'test')).map((index, position) => [
      index,
      position,
    ]),
  );

  // A table's columns for rows r = (ε e, attack a, image i); worst_case's a is the worst attack.
  const table = (name: string, rows: { e: number; a: number; i: number }[]): ResultsTable => {
    const ints = (pick: (row: (typeof rows)[number]) => number) => Int32Array.from(rows, pick);
    const floats = (pick: (row: (typeof rows)[number]) => number) => Float32Array.from(rows, pick);
    const bools = (pick: (row: (typeof rows)[number]) => boolean) =>
      Uint8Array.from(rows, (row) => (pick(row) ? 1 : 0));
    return {
      name,
      rows: rows.length,
      columns: [
        { name: 'epsilon_index', dtype: 'int32', values: ints((r) => r.e) },
        { name: 'epsilon', dtype: 'float32', values: floats((r) => result.epsilons[r.e] ?? NaN) },
        ...(name === 'examples'
          ? [{ name: 'attack_index', dtype: 'int32' as const, values: ints((r) => r.a) }]
          : []),
        { name: 'row', dtype: 'int32', values: ints((r) => r.i) },
        { name: 'dataset_index', dtype: 'int32', values: ints((r) => meta.indices[r.i] ?? -1) },
        {
          name: 'test_index',
          dtype: 'int32',
          values: ints((r) => test.get(meta.indices[r.i] ?? -1) ?? -1),
        },
        { name: 'label', dtype: 'int32', values: ints((r) => label(r.i)) },
        { name: 'clean_prediction', dtype: 'int32', values: ints((r) => cleanPrediction(r.i)) },
        {
          name: 'clean_correct',
          dtype: 'bool',
          values: bools((r) => cleanPrediction(r.i) === label(r.i)),
        },
        {
          name: 'clean_loss',
          dtype: 'float32',
          values: floats((r) => meta.cleanLosses[r.i] ?? NaN),
        },
        ...(name === 'worst_case'
          ? [{ name: 'worst_attack', dtype: 'int32' as const, values: ints((r) => r.a) }]
          : []),
        {
          name: 'adversarial_prediction',
          dtype: 'int32',
          values: ints((r) => value(r.e, r.a, r.i, 'prediction')),
        },
        {
          name: 'adversarial_correct',
          dtype: 'bool',
          values: bools((r) => value(r.e, r.a, r.i, 'prediction') === label(r.i)),
        },
        {
          name: 'adversarial_loss',
          dtype: 'float32',
          values: floats((r) => value(r.e, r.a, r.i, 'loss')),
        },
        {
          name: 'linf_norm',
          dtype: 'float32',
          values: floats((r) => value(r.e, r.a, r.i, 'linfNorm')),
        },
        {
          name: 'l2_norm',
          dtype: 'float32',
          values: floats((r) => value(r.e, r.a, r.i, 'l2Norm')),
        },
        ...(name === 'worst_case'
          ? [
              {
                name: 'robust',
                dtype: 'bool' as const,
                values: bools(
                  (r) =>
                    cleanPrediction(r.i) === label(r.i) &&
                    Array.from(
                      { length: attacks },
                      (_, a) => value(r.e, a, r.i, 'prediction') === label(r.i),
                    ).every(Boolean),
                ),
              },
            ]
          : []),
      ],
    };
  };
  const range = (length: number) => Array.from({ length }, (_, k) => k);
  const exampleRows = range(epsilons).flatMap((e) =>
    range(attacks).flatMap((a) => range(n).map((i) => ({ e, a, i }))),
  );
  const worstRows = range(epsilons).flatMap((e) =>
    range(n).map((i) => ({ e, a: meta.worstAttack[e]?.[i] ?? -1, i })),
  );
  const tables = [table('examples', exampleRows), table('worst_case', worstRows)];

  const images: ExportedRun['images'] = artifacts.worstCase.map((id, e) => {
    const artifact = store.artifacts.get(id);
    return {
      file: `adversarial/eps_${e}.npy`,
      shape: artifact.shape,
      values: fromBlob.float32(artifact.data),
    };
  });
  if (dataset !== undefined) {
    const batch = imageBatch(store, dataset, meta.indices);
    images.unshift({
      file: 'clean.npy',
      shape: batch.images.shape,
      values: unitPixels(batch.images.data),
    });
  }
  const robustAt = (e: number) =>
    range(n).filter(
      (i) =>
        cleanPrediction(i) === label(i) &&
        range(attacks).every((a) => value(e, a, i, 'prediction') === label(i)),
    ).length;
  const last = epsilons - 1;
  return {
    tables,
    images,
    description: {
      ...runDescription(run, config, dataset, n),
      constraint: config.constraint,
      epsilons: result.epsilons,
      attacks: result.curves.map((curve, a) => ({
        index: a,
        name: curve.attack,
        method: curve.method,
        access: curve.access,
      })),
      cleanAccuracy: result.cleanAccuracy,
      curves: result.curves.map((curve) => ({ attack: curve.attack, accuracy: curve.accuracy })),
      worstCase: result.worstCase,
      columns: Object.fromEntries(
        [...new Set(tables.flatMap((t) => t.columns.map((c) => c.name)))].map((name) => [
          name,
          evaluationColumns[name] ?? '',
        ]),
      ),
      ...(dataset === undefined
        ? { notes: ['the dataset has been deleted: clean.npy is not part of this export'] }
        : {}),
    },
    summary: `${n} images × ${attacks} attacks × ${epsilons} ε: worst-case accuracy ${robustAt(last)}/${n} at ε = ${result.epsilons[last]}`,
  };
}
