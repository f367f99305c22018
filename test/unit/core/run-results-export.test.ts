/**
 * `runs.exportResults` on the real engine worker (out/main/engine-worker.js, built by
 * `npm run build`): a small attack and a small evaluation (split over two workers) on a tiny
 * model are exported, then re-scored from the files alone: the accuracies from the tables are
 * the run's stored figures, the exported adversarial images fed to the model give the tables'
 * predictions and losses, and the norms are inside the ε-ball and equal to the ones recomputed
 * from the images against the dataset's; NumPy, reading the same files, finds the same figures.
 * Then the refusals: unknown run, another kind, an
 * unfinished run, a non-empty folder, an evaluation saved before the records existed.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvaluationConfig } from '../../../src-main/common/evaluation-schemas';
import { methods } from '../../../src-main/common/contract';
import type { AttackConfig } from '../../../src-main/common/attack-schemas';
import { imageBatch, splitIndices } from '../../../src-main/core/datasets/dataset-reading';
import { parseNpy, npyValues } from '../../../src-main/core/datasets/npy-reader';
import { modelSpecOf } from '../../../src-main/core/model-spec';
import type { Workbench } from '../../../src-main/core/workbench';
import { importWeights } from '../../../src-main/engine/models/model-weights';
import {
  registerNativeKernels,
  setNativeKernelThreads,
} from '../../../src-main/engine/kernels/native/register-native-kernels';
import { useBackend } from '../engine/use-backend';
import { missingPythonModules, runPythonJson } from '../python-oracle';
import { workerWorkbench, type WorkerWorkbench } from './worker-workbench';

const rescore = 'test/reference/rescore_run_export.py';

/** A CSV of numbers as columns; an empty cell is NaN. */
function readCsv(path: string): Map<string, number[]> {
  const [header, ...lines] = readFileSync(path, 'utf8').trimEnd().split('\n');
  const names = (header ?? '').split(',');
  const columns = new Map(names.map((name) => [name, [] as number[]]));
  for (const line of lines) {
    const cells = line.split(',');
    names.forEach((name, c) => {
      const cell = cells[c] ?? '';
      columns.get(name)?.push(cell === '' ? NaN : Number(cell));
    });
  }
  return columns;
}

const column = (table: Map<string, number[]>, name: string): number[] => {
  const values = table.get(name);
  if (values === undefined) throw new Error(`no column ${name}`);
  return values;
};

function readNpy(path: string): { shape: number[]; values: number[] } {
  const array = parseNpy(readFileSync(path));
  return { shape: array.shape, values: npyValues(array) };
}

/** −log softmax(z)_y in float64, the textbook way (fine at these margins). */
function crossEntropy(logits: ArrayLike<number>, label: number): number {
  const z = Array.from(logits);
  const top = Math.max(...z);
  const sum = z.reduce((total, value) => total + Math.exp(value - top), 0);
  return top + Math.log(sum) - (z[label] ?? NaN);
}

/** ‖a − b‖∞ and ‖a − b‖₂ of two images, in float64. */
function norms(a: ArrayLike<number>, b: ArrayLike<number>): { linf: number; l2: number } {
  let linf = 0;
  let squares = 0;
  for (let p = 0; p < a.length; p += 1) {
    const d = (a[p] ?? NaN) - (b[p] ?? NaN);
    linf = Math.max(linf, Math.abs(d));
    squares += d * d;
  }
  return { linf, l2: Math.sqrt(squares) };
}

describe('exporting the per-example results of attacks and evaluations', () => {
  let workbench: Workbench;
  let datasetId: number;
  let modelId: number;
  let end: WorkerWorkbench['end'];
  const out = mkdtempSync(join(tmpdir(), 'rfw-run-export-out-'));
  let attackRunId: number;
  let evaluationRunId: number;
  /** The model in this process, on the kernels the workers use, for the re-scoring. */
  let logitsOf: (images: Float32Array, count: number) => Float32Array[];

  beforeAll(async () => {
    const setup = workerWorkbench(2, 'rfw-run-export-');
    ({ workbench, datasetId, end } = setup);
    modelId = await setup.trainTinyModel(1);
    const store = workbench.projects.requireCurrent();
    const dataset = store.datasets.get(datasetId);
    const attack: AttackConfig = {
      modelId,
      datasetId,
      indices: splitIndices(dataset, 'test').slice(0, 40),
      method: 'pgd',
      perturbation: {
        constraint: 'linf',
        epsilon: 0.15,
        steps: 5,
        stepSize: 0.05,
        randomStart: true,
      },
      restarts: 1,
      targetClass: null,
      seed: 5,
    };
    const startedAttack = await workbench.handlers['jobs.startAttack'](attack);
    const evaluation = EvaluationConfig.parse({
      modelId,
      datasetId,
      count: 70,
      constraint: 'linf',
      epsilons: [0.05, 0.2],
      attacks: [{ method: 'fgsm' }, { method: 'pgd', steps: 5 }],
      seed: 3,
    });
    const startedEvaluation = await workbench.handlers['jobs.startEvaluation'](evaluation);
    for (const started of [startedAttack, startedEvaluation]) {
      const ended = await end(started);
      if (ended.state !== 'completed') throw new Error(`run failed: ${ended.error}`);
    }
    attackRunId = startedAttack.runId;
    evaluationRunId = startedEvaluation.runId;

    await useBackend('wasm');
    registerNativeKernels('wasm');
    setNativeKernelThreads(availableParallelism());
    const record = store.models.get(modelId);
    const model = importWeights(modelSpecOf(record), store.models.weights(modelId));
    logitsOf = (images, count) => {
      const logits = tf.tidy(
        () => model.forward(tf.tensor4d(images, [count, ...record.inputShape] as never)).logits,
      );
      const values = logits.dataSync();
      const k = logits.shape[1] ?? 0;
      logits.dispose();
      return Array.from(
        { length: count },
        (_, n) => values.slice(n * k, (n + 1) * k) as Float32Array,
      );
    };
  }, 600_000);

  afterAll(async () => {
    await workbench.dispose();
    rmSync(out, { recursive: true, force: true });
  });

  /** The dataset's images at `indices` in [0, 1], as the engine scales them. */
  const datasetImages = (indices: number[]): Float32Array => {
    const store = workbench.projects.requireCurrent();
    const data = imageBatch(store, store.datasets.get(datasetId), indices).images.data;
    return data instanceof Float32Array ? data : Float32Array.from(data, (v) => v * (1 / 255));
  };

  it('exports an attack that re-scores from its files to the stored figures', async () => {
    const folder = join(out, 'attack');
    const reply = await workbench.handlers['runs.exportResults']({
      runId: attackRunId,
      folder,
      format: 'both',
    });
    methods['runs.exportResults'].output.parse(reply);
    expect(reply.kind).toBe('attack');
    expect(readdirSync(folder).sort()).toEqual(
      ['adversarial.npy', 'clean.npy', 'examples', 'examples.csv', 'run.json'].sort(),
    );
    const table = readCsv(join(folder, 'examples.csv'));
    const n = column(table, 'row').length;
    expect(n).toBe(40);
    const stored = await workbench.handlers['runs.attackResult']({ runId: attackRunId });
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean(column(table, 'clean_correct'))).toBeCloseTo(stored.cleanAccuracy, 12);
    expect(mean(column(table, 'adversarial_correct'))).toBeCloseTo(stored.robustAccuracy, 12);

    // Every CSV column is its .npy column, value for value.
    for (const [name, values] of table) {
      expect(readNpy(join(folder, 'examples', `${name}.npy`)).values, name).toEqual(
        values.map((v) => (Number.isNaN(v) ? NaN : Math.fround(v))),
      );
    }

    const adversarial = readNpy(join(folder, 'adversarial.npy'));
    const clean = readNpy(join(folder, 'clean.npy'));
    expect(adversarial.shape).toEqual([n, 28, 28, 1]);
    const indices = column(table, 'dataset_index');
    const original = datasetImages(indices);
    expect(clean.values).toEqual(Array.from(original));
    const logits = logitsOf(Float32Array.from(adversarial.values), n);
    const cleanLogits = logitsOf(original, n);
    const labels = column(table, 'label');
    const size = 28 * 28;
    for (let i = 0; i < n; i += 1) {
      const label = labels[i] ?? -1;
      const image = adversarial.values.slice(i * size, (i + 1) * size);
      const predicted = Array.from(logits[i] ?? []);
      expect(predicted.indexOf(Math.max(...predicted))).toBe(
        column(table, 'adversarial_prediction')[i],
      );
      expect(crossEntropy(predicted, label)).toBeCloseTo(
        column(table, 'adversarial_loss')[i] ?? NaN,
        3,
      );
      expect(crossEntropy(cleanLogits[i] ?? [], label)).toBeCloseTo(
        column(table, 'clean_loss')[i] ?? NaN,
        3,
      );
      const { linf, l2 } = norms(image, original.subarray(i * size, (i + 1) * size));
      expect(linf).toBeLessThanOrEqual(0.15 + 1e-6);
      expect(column(table, 'linf_norm')[i]).toBeCloseTo(linf, 5);
      expect(column(table, 'l2_norm')[i]).toBeCloseTo(l2, 4);
    }
    const run = JSON.parse(readFileSync(join(folder, 'run.json'), 'utf8'));
    expect(run).toMatchObject({ runId: attackRunId, kind: 'attack', images: 40 });
    expect(Object.keys(run.columns)).toEqual([...table.keys()]);
  }, 120_000);

  it('exports an evaluation per attack and ε and as the per-image worst case', async () => {
    const folder = join(out, 'evaluation');
    const reply = await workbench.handlers['runs.exportResults']({
      runId: evaluationRunId,
      folder,
      format: 'csv',
    });
    expect(reply.kind).toBe('evaluation');
    // csv: the tables as CSV only; the images are .npy whatever the format.
    expect(readdirSync(folder).sort()).toEqual(
      ['adversarial', 'clean.npy', 'examples.csv', 'run.json', 'worst_case.csv'].sort(),
    );
    const { result } = await workbench.handlers['runs.evaluationResult']({
      runId: evaluationRunId,
    });
    const n = result.examples;
    expect(n).toBe(70);
    expect(result.epsilons).toEqual([0, 0.05, 0.2]);
    const examples = readCsv(join(folder, 'examples.csv'));
    const worst = readCsv(join(folder, 'worst_case.csv'));
    expect(column(examples, 'row')).toHaveLength(3 * 2 * n);
    expect(column(worst, 'row')).toHaveLength(3 * n);
    const count = (table: Map<string, number[]>, name: string, keep: (r: number) => boolean) =>
      column(table, name).filter((v, r) => keep(r) && v === 1).length;
    const e = (table: Map<string, number[]>, r: number) => column(table, 'epsilon_index')[r];
    const a = (r: number) => column(examples, 'attack_index')[r];
    expect(count(worst, 'clean_correct', (r) => e(worst, r) === 0) / n).toBe(result.cleanAccuracy);
    result.epsilons.forEach((_, eps) => {
      // The stored worst case is (correct count) / n: the table's count gives it exactly.
      expect(count(worst, 'robust', (r) => e(worst, r) === eps) / n).toBe(result.worstCase[eps]);
      result.curves.forEach((curve, attack) => {
        expect(
          count(examples, 'adversarial_correct', (r) => e(examples, r) === eps && a(r) === attack) /
            n,
        ).toBe(curve.accuracy[eps]);
      });
    });

    const indices = column(worst, 'dataset_index').slice(0, n);
    const store = workbench.projects.requireCurrent();
    expect(indices).toEqual(splitIndices(store.datasets.get(datasetId), 'test').slice(0, n));
    expect(column(worst, 'test_index').slice(0, n)).toEqual(indices.map((_, i) => i));
    const original = datasetImages(indices);
    const size = 28 * 28;
    result.epsilons.forEach((epsilon, eps) => {
      const images = readNpy(join(folder, 'adversarial', `eps_${eps}.npy`));
      expect(images.shape).toEqual([n, 28, 28, 1]);
      const logits = logitsOf(Float32Array.from(images.values), n);
      for (let i = 0; i < n; i += 1) {
        const r = eps * n + i;
        const predicted = Array.from(logits[i] ?? []);
        expect(predicted.indexOf(Math.max(...predicted))).toBe(
          column(worst, 'adversarial_prediction')[r],
        );
        const image = images.values.slice(i * size, (i + 1) * size);
        const { linf, l2 } = norms(image, original.subarray(i * size, (i + 1) * size));
        expect(linf).toBeLessThanOrEqual(epsilon + 1e-6);
        expect(column(worst, 'linf_norm')[r]).toBeCloseTo(linf, 5);
        expect(column(worst, 'l2_norm')[r]).toBeCloseTo(l2, 4);
        // The worst-case row is the worst attack's row of the long table.
        const attack = column(worst, 'worst_attack')[r] ?? -1;
        const long = (eps * 2 + attack) * n + i;
        for (const name of ['adversarial_prediction', 'adversarial_loss', 'linf_norm', 'l2_norm'])
          expect(column(worst, name)[r], name).toBe(column(examples, name)[long]);
      }
    });
    for (const linf of column(examples, 'linf_norm').map((v, r) => ({ v, r })))
      expect(linf.v).toBeLessThanOrEqual((result.epsilons[e(examples, linf.r) ?? 0] ?? NaN) + 1e-6);
  }, 120_000);

  it.skipIf(missingPythonModules(['numpy']) !== null)(
    'the exported files re-score in NumPy alone to the stored figures',
    async () => {
      const attack = await workbench.handlers['runs.attackResult']({ runId: attackRunId });
      const fromAttack = runPythonJson<Record<string, number | string[]>>(rescore, [
        join(out, 'attack'),
      ]);
      expect(fromAttack).toMatchObject({
        rows: 40,
        cleanCorrect: Math.round(attack.cleanAccuracy * 40),
        adversarialCorrect: Math.round(attack.robustAccuracy * 40),
        mismatchedColumns: [],
      });
      expect(fromAttack.maxLinf).toBeLessThanOrEqual(0.15 + 1e-6);
      expect(fromAttack.linfError).toBeLessThan(1e-6);
      expect(fromAttack.l2Error).toBeLessThan(1e-5);

      const { result } = await workbench.handlers['runs.evaluationResult']({
        runId: evaluationRunId,
      });
      const n = result.examples;
      const fromEvaluation = runPythonJson<Record<string, unknown>>(rescore, [
        join(out, 'evaluation'),
      ]);
      expect(fromEvaluation).toMatchObject({
        rows: n,
        cleanCorrect: Math.round(result.cleanAccuracy * n),
        // [ε][attack] and [ε]: the stored curves and worst case as counts.
        curvesCorrect: result.epsilons.map((_, e) =>
          result.curves.map((curve) => Math.round((curve.accuracy[e] ?? NaN) * n)),
        ),
        worstCaseCorrect: result.worstCase.map((accuracy) => Math.round(accuracy * n)),
        robustColumnAgrees: true,
        worstPredictionErrors: 0,
      });
      expect(fromEvaluation.linfError).toBeLessThan(1e-6);
      expect(fromEvaluation.l2Error).toBeLessThan(1e-5);
      expect(fromEvaluation.maxLinfOverEpsilon).toBeLessThan(1e-6);
    },
    60_000,
  );

  it('refuses what it cannot export, before writing anything', async () => {
    const store = workbench.projects.requireCurrent();
    const exportTo = (runId: number, folder = join(out, `refused-${runId}`)) =>
      workbench.handlers['runs.exportResults']({ runId, folder, format: 'both' });
    await expect(exportTo(999)).rejects.toThrow(/no run 999/);
    const training = store.runs.list().find((run) => run.kind === 'train');
    if (!training) throw new Error('no training run');
    await expect(exportTo(training.id)).rejects.toThrow(
      /is a train run: only attack and evaluation runs/,
    );
    const queued = store.runs.insert({
      kind: 'attack',
      name: 'not started',
      config: {},
      seed: 0,
      modelId,
    });
    await expect(exportTo(queued)).rejects.toThrow(/attack run \d+ has no result \(it is queued\)/);
    const full = join(out, 'full');
    mkdirSync(full);
    writeFileSync(join(full, 'keep.txt'), 'mine');
    await expect(exportTo(attackRunId, full)).rejects.toThrow(/is not empty/);
    expect(readdirSync(full)).toEqual(['keep.txt']);

    // An evaluation stored before its per-example records: refused with the reason.
    const row = store.runs.get(evaluationRunId);
    const { exampleArtifacts: _, ...older } = row.result as Record<string, unknown>;
    store.db.prepare('UPDATE runs SET result = ? WHERE id = ?').run(JSON.stringify(older), row.id);
    await expect(exportTo(evaluationRunId)).rejects.toThrow(/saved before evaluations kept/);
    expect(
      readdirSync(out).filter((name) => name.startsWith('refused') || name.startsWith('.')),
    ).toEqual([]);
  });
});
