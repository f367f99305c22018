/**
 * An imported model's test accuracy (issue 13), on the real engine worker (out/main/engine-worker.js,
 * `npm run build`): a tiny small-cnn trained in the demo project is exported by the workbench
 * (ONNX, and TensorFlow.js layers) and imported for a dataset of 450 of the demo's MNIST images,
 * train and test interleaved. The import stores the model's accuracy on that dataset's test split,
 * which must equal a count made here, apart from the engine's batching: the model rebuilt from
 * what the project stored, its logits on every test image, argmax against the label. Without
 * Python (onnx-import.test.ts covers PyTorch's files where torch is installed).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelExportFormat } from '../../../src-main/common/model-io-schemas';
import { modelSpecOf } from '../../../src-main/core/model-spec';
import { importWeights } from '../../../src-main/engine/models/model-weights';
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
});
