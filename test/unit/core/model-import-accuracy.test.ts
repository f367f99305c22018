/**
 * An imported model's test accuracy (issue 13), on the real engine worker (out/main/engine-worker.js,
 * `npm run build`): a tiny small-cnn trained in the demo project is exported by the workbench
 * (ONNX, and TensorFlow.js layers) and imported for a dataset of 450 of the demo's MNIST images,
 * train and test interleaved. The import stores the model's accuracy on that dataset's test split,
 * which must equal a count made here, apart from the engine's batching: the model rebuilt from
 * what the project stored, its logits on every test image, argmax against the label. Without
 * Python (onnx-import.test.ts covers PyTorch's files where torch is installed). Also: a dataset
 * without test images gives no figure (null, with a note), and the engine job, run in this
 * process, reports progress and stops between batches when cancelled.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelExportFormat } from '../../../src-main/common/model-io-schemas';
import { imageBatch, splitIndices } from '../../../src-main/core/datasets/dataset-reading';
import { modelSpecOf } from '../../../src-main/core/model-spec';
import { JobCancelledError, type JobReporter } from '../../../src-main/engine/engine-types';
import { runModelImportJob } from '../../../src-main/engine/jobs/run-model-import-job';
import { importWeights } from '../../../src-main/engine/models/model-weights';
import type { ModelImportJobSpec } from '../../../src-main/engine/protocol';
import { useBackend } from '../engine/use-backend';
import { workerWorkbench, type WorkerWorkbench } from './worker-workbench';

describe('an imported model’s test accuracy, measured at import', () => {
  let bench: WorkerWorkbench;
  let files = '';
  let trainedId = 0;
  let datasetId = 0;
  const report: string[] = [];
  const store = () => bench.workbench.projects.requireCurrent();

  async function complete(start: { jobId: string; runId: number }): Promise<number> {
    expect(await bench.end(start)).toEqual({ state: 'completed', error: null });
    return start.runId;
  }

  beforeAll(async () => {
    await useBackend('wasm');
    bench = workerWorkbench(1, 'rfw-import-accuracy-');
    files = mkdtempSync(join(tmpdir(), 'rfw-import-accuracy-files-'));
    trainedId = await bench.trainTinyModel(3, 2048);
    // 450 demo images from its train split past the 2,048 the tiny model was trained on: every
    // third one train, the others test.
    const demo = store().datasets.get(bench.datasetId);
    const indices = Array.from({ length: 450 }, (_, i) => 3000 + i);
    datasetId = store().datasets.insert({
      name: 'MNIST, 150 train / 300 test',
      imageShape: demo.imageShape,
      classNames: demo.classNames,
      source: 'test',
      split: { method: 'given', seed: 0, train: 150, test: 300 },
      pixels: store().datasets.readImages(demo, indices),
      labels: Int32Array.from(indices, (index) => demo.labels[index] ?? -1),
      splits: Uint8Array.from(indices, (_, i) => (i % 3 === 0 ? 0 : 1)),
    });
  }, 180_000);

  afterAll(async () => {
    console.log(report.join('\n'));
    await bench.workbench.dispose();
    if (files !== '') rmSync(files, { recursive: true, force: true });
  });

  /** Correct argmax predictions over the dataset's test split, counted here in one batch. */
  function countCorrect(modelId: number): { correct: number; total: number } {
    const dataset = store().datasets.get(datasetId);
    const test = Array.from(dataset.splits).flatMap((mark, index) => (mark === 1 ? [index] : []));
    const pixels = store().datasets.readImages(dataset, test);
    const scale = pixels instanceof Uint8Array ? 1 / 255 : 1;
    const images = Float32Array.from(pixels, (v) => v * scale);
    const model = importWeights(
      modelSpecOf(store().models.get(modelId)),
      store().models.weights(modelId),
    );
    const [h, w, c] = dataset.imageShape;
    const logits = tf.tidy(() =>
      model.forward(tf.tensor4d(images, [test.length, h, w, c])).logits.dataSync(),
    );
    model.dispose();
    const classes = dataset.classNames.length;
    let correct = 0;
    test.forEach((index, row) => {
      const z = logits.subarray(row * classes, (row + 1) * classes);
      let best = 0;
      for (let k = 1; k < classes; k++) if ((z[k] ?? -Infinity) > (z[best] ?? -Infinity)) best = k;
      if (best === dataset.labels[index]) correct++;
    });
    return { correct, total: test.length };
  }

  it.each([
    ['onnx', 'model.onnx'],
    ['tfjs-layers', 'model.json'],
  ] as const)(
    '%s: the stored test accuracy is the model’s argmax accuracy on the whole test split',
    async (format: ModelExportFormat & ('onnx' | 'tfjs-layers'), file: string) => {
      const { handlers } = bench.workbench;
      const folder = join(files, format);
      await complete(await handlers['jobs.exportModel']({ modelId: trainedId, format, folder }));
      const runId = await complete(
        await handlers['jobs.importModel']({
          format,
          path: join(folder, file),
          datasetId,
          inputRange: [0, 1],
          name: `tiny (${format})`,
        }),
      );
      const { result } = await handlers['runs.modelTransferResult']({ runId });
      if (result.kind !== 'import') throw new Error('not an import');
      const stored = store().models.get(result.modelId).testAccuracy;
      const { correct, total } = countCorrect(result.modelId);
      report.push(
        `${format}: stored test accuracy ${stored}, counted ${correct}/${total} = ${correct / total}`,
      );
      expect(total).toBe(300);
      // A classifier, not a constant guess: the equality below says something.
      expect(correct / total).toBeGreaterThan(0.5);
      expect(stored).toBe(correct / total);
      // Listed as trained models' are, and the import says over how many images.
      const listed = (await handlers['models.list']({})).find((m) => m.id === result.modelId);
      expect(listed?.testAccuracy).toBe(correct / total);
      expect(result.notes).toContain(
        `test accuracy ${((100 * correct) / total).toFixed(2)}%, measured on the dataset's 300 test images`,
      );
    },
    120_000,
  );

  /** Exports the tiny model as a layers model into a new folder: its model.json. */
  async function exportLayers(folderName: string): Promise<string> {
    const folder = join(files, folderName);
    await complete(
      await bench.workbench.handlers['jobs.exportModel']({
        modelId: trainedId,
        format: 'tfjs-layers',
        folder,
      }),
    );
    return join(folder, 'model.json');
  }

  it('a dataset without test images: imported, with no test accuracy, and said so', async () => {
    const demo = store().datasets.get(bench.datasetId);
    const indices = Array.from({ length: 30 }, (_, i) => 3000 + i);
    const trainOnly = store().datasets.insert({
      name: 'MNIST, 30 train / 0 test',
      imageShape: demo.imageShape,
      classNames: demo.classNames,
      source: 'test',
      split: { method: 'given', seed: 0, train: 30, test: 0 },
      pixels: store().datasets.readImages(demo, indices),
      labels: Int32Array.from(indices, (index) => demo.labels[index] ?? -1),
      splits: new Uint8Array(30),
    });
    const { handlers } = bench.workbench;
    const runId = await complete(
      await handlers['jobs.importModel']({
        format: 'tfjs-layers',
        path: await exportLayers('train-only'),
        datasetId: trainOnly,
        inputRange: [0, 1],
      }),
    );
    const { result } = await handlers['runs.modelTransferResult']({ runId });
    if (result.kind !== 'import') throw new Error('not an import');
    expect(store().models.get(result.modelId).testAccuracy).toBeNull();
    expect(result.notes).toContain(
      'the dataset has no test images: the test accuracy was not measured',
    );
  }, 120_000);

  it('the evaluation reports progress and stops between batches when cancelled', async () => {
    const path = await exportLayers('in-process');
    const demo = store().datasets.get(bench.datasetId);
    const test = imageBatch(store(), demo, splitIndices(demo, 'test'));
    const spec: ModelImportJobSpec = {
      kind: 'model-import',
      format: 'tfjs-layers',
      path,
      inputRange: [0, 1],
      imageShape: demo.imageShape,
      numClasses: demo.classNames.length,
      test,
    };
    const fractions: number[] = [];
    let asked = 0;
    let cancelAt = Infinity;
    const reporter: JobReporter = {
      progress: (fraction) => fractions.push(fraction),
      metrics: () => {},
      cancelled: () => ++asked >= cancelAt,
    };
    // Uncancelled, in this process: the demo's whole test split (2000 images, 8 batches of 256),
    // progress never going back, ending at 1.
    const whole = await runModelImportJob(spec, reporter);
    expect(whole.testCount).toBe(2000);
    expect(whole.testAccuracy).toBeGreaterThan(0.5);
    expect(fractions.at(-1)).toBe(1);
    expect(fractions.every((f, i) => i === 0 || f >= (fractions[i - 1] ?? 0))).toBe(true);
    // Asked once after reading the file, then before each batch: a cancel seen before the
    // third batch ends the job there, with nothing returned.
    expect(asked).toBe(1 + 8);
    asked = 0;
    cancelAt = 3;
    await expect(runModelImportJob(spec, reporter)).rejects.toBeInstanceOf(JobCancelledError);
    expect(asked).toBe(3);
  }, 120_000);
});
