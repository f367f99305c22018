/**
 * An attack run's per-example results as the export writes them: one table `examples` (a row per
 * attacked image, in the run's order) and the images `clean.npy` and `adversarial.npy`,
 * float32 [N, H, W, C] in [0, 1], row n of each being row n of the table.
 */
import { z } from 'zod';
import { AttackConfig, AttackExample, StoredAttackResult } from '../../common/attack-schemas';
import { StoredAttackExampleLosses } from '../../common/run-results-schemas';
import { withAttackDefaults } from '../../common/evaluation-schemas';
import { cleanCorrect } from '../../common/attack-tally';
import { fromBlob } from '../../db/repositories/blob-codec';
import type { ProjectStore } from '../../db/project-store';
import { withSplitPositions } from '../attack-images';
import type { ResultsColumn, ResultsTable } from './results-table';
import { unitPixels } from './pixels';

/** The stored result with the per-example losses recorded since issue 15. */
const ExportedAttackResult = StoredAttackResult.extend({
  examples: z.array(AttackExample.extend(StoredAttackExampleLosses.shape)),
});

export interface ExportedRun {
  tables: ResultsTable[];
  /** File (relative to the export folder) → float32 values and their shape. */
  images: { file: string; shape: number[]; values: Float32Array }[];
  /** What run.json says about the run besides its id, kind and name. */
  description: Record<string, unknown>;
  /** e.g. "64 images, clean accuracy 0.938, robust accuracy 0.031". */
  summary: string;
}

/** What run.json says first of any exported run: its model, dataset, config and image count. */
export function runDescription<Config extends { modelId: number; datasetId: number }>(
  run: { modelId: number | null },
  config: Config,
  dataset: { name: string } | undefined,
  images: number,
) {
  return {
    modelId: run.modelId ?? config.modelId,
    datasetId: config.datasetId,
    datasetName: dataset?.name ?? null,
    config,
    images,
  };
}

/** What each column holds, for run.json and the README. */
export const attackColumns: Record<string, string> = {
  row: 'row of clean.npy and adversarial.npy (0-based)',
  dataset_index: "the image's index in the dataset (all splits, 0-based)",
  test_index:
    "its position in the dataset's test split, -1 for a training image or where the dataset is gone",
  label: 'true class',
  clean_prediction: 'argmax of the logits on the clean image',
  adversarial_prediction: 'argmax of the logits on the adversarial image',
  clean_correct: '1 if clean_prediction == label',
  adversarial_correct: '1 if adversarial_prediction == label',
  success:
    'untargeted: adversarial_prediction != label; targeted: == the target class (1 also on images already wrong)',
  clean_loss:
    'cross-entropy −log softmax(logits)_label on the clean image, nats (empty: run saved before it was recorded)',
  adversarial_loss: 'the same on the adversarial image',
  linf_norm: "‖x' − x‖∞ in pixel units (images in [0, 1])",
  l2_norm: "‖x' − x‖₂ in pixel units, over all H·W·C values",
  queries: 'Square: model queries spent on the image',
  stalled: 'gradient attacks: 1 if no step moved the image from its start',
};

export function attackResults(store: ProjectStore, runId: number): ExportedRun {
  const { run, result } = store.runs.completed(runId, 'attack', {
    config: AttackConfig,
    result: ExportedAttackResult,
  });
  const config = withAttackDefaults(result.config);
  const dataset = store.datasets.list().find((record) => record.id === config.datasetId);
  const examples = dataset ? withSplitPositions(dataset, result.examples) : result.examples;
  const n = examples.length;
  const ints = (pick: (i: number) => number) => Int32Array.from({ length: n }, (_, i) => pick(i));
  const floats = (pick: (i: number) => number) =>
    Float32Array.from({ length: n }, (_, i) => pick(i));
  const bools = (pick: (i: number) => boolean) =>
    Uint8Array.from({ length: n }, (_, i) => (pick(i) ? 1 : 0));
  const at = (i: number) => {
    const example = examples[i];
    if (example === undefined) throw new Error(`attack run ${runId} has no example ${i}`);
    return example;
  };
  const stored = (i: number) => result.examples[i];
  const clean = (i: number) => at(i).cleanTop5[0]?.label ?? -1;
  const adversarial = (i: number) => at(i).adversarialTop5[0]?.label ?? -1;
  const columns: ResultsColumn[] = [
    { name: 'row', dtype: 'int32', values: ints((i) => i) },
    { name: 'dataset_index', dtype: 'int32', values: ints((i) => at(i).index) },
    {
      name: 'test_index',
      dtype: 'int32',
      values: ints((i) => (at(i).split === 'test' ? (at(i).splitPosition ?? -1) : -1)),
    },
    { name: 'label', dtype: 'int32', values: ints((i) => at(i).label) },
    { name: 'clean_prediction', dtype: 'int32', values: ints(clean) },
    { name: 'adversarial_prediction', dtype: 'int32', values: ints(adversarial) },
    { name: 'clean_correct', dtype: 'bool', values: bools((i) => cleanCorrect(at(i))) },
    {
      name: 'adversarial_correct',
      dtype: 'bool',
      values: bools((i) => adversarial(i) === at(i).label),
    },
    { name: 'success', dtype: 'bool', values: bools((i) => at(i).success) },
    {
      name: 'clean_loss',
      dtype: 'float32',
      values: floats((i) => stored(i)?.cleanLoss ?? NaN),
    },
    {
      name: 'adversarial_loss',
      dtype: 'float32',
      values: floats((i) => stored(i)?.adversarialLoss ?? NaN),
    },
    { name: 'linf_norm', dtype: 'float32', values: floats((i) => at(i).linfNorm) },
    { name: 'l2_norm', dtype: 'float32', values: floats((i) => at(i).l2Norm) },
  ];
  // Method-specific columns, where the method records them.
  if (examples.some((example) => example.queries !== undefined))
    columns.push({ name: 'queries', dtype: 'int32', values: ints((i) => at(i).queries ?? -1) });
  if (examples.some((example) => example.stalled !== undefined))
    columns.push({ name: 'stalled', dtype: 'bool', values: bools((i) => at(i).stalled === true) });

  const images = (pick: (i: number) => number) => {
    let shape: number[] = [];
    const parts = examples.map((_, i) => {
      const artifact = store.artifacts.get(pick(i));
      shape = artifact.shape;
      return unitPixels(fromBlob[artifact.dtype](artifact.data));
    });
    const size = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(n * size);
    parts.forEach((part, i) => values.set(part, i * size));
    return { shape: [n, ...shape], values };
  };
  const correct = (pick: (i: number) => boolean) => examples.filter((_, i) => pick(i)).length;
  const cleanRight = correct((i) => cleanCorrect(at(i)));
  const robustRight = correct((i) => adversarial(i) === at(i).label);
  return {
    tables: [{ name: 'examples', rows: n, columns }],
    images: [
      { file: 'clean.npy', ...images((i) => at(i).originalArtifactId) },
      { file: 'adversarial.npy', ...images((i) => at(i).adversarialArtifactId) },
    ],
    description: {
      ...runDescription(run, config, dataset, n),
      cleanAccuracy: result.cleanAccuracy,
      robustAccuracy: result.robustAccuracy,
      columns: Object.fromEntries(
        columns.map((column) => [column.name, attackColumns[column.name] ?? '']),
      ),
    },
    summary: `${n} images: clean accuracy ${cleanRight}/${n}, adversarial accuracy ${robustRight}/${n}`,
  };
}
