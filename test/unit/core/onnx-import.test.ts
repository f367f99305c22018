/**
 * ONNX models exported by PyTorch (test/reference/onnx_fixtures.py) imported into a project
 * through the core and run by the real engine worker (out/main/engine-worker.js, `npm run
 * build`): each fixture is imported for a float32 dataset of the fixture's own images, then an
 * attack run and a saliency view run on it. The worker's clean predictions (top-5 softmax
 * probabilities) must be PyTorch's, and the model rebuilt from what the project stored, as the
 * worker rebuilds it (modelSpecOf + importWeights), must give PyTorch's logits (1e-4 relative to
 * their largest magnitude). Each is then exported as ONNX on the worker from what the project
 * stored: onnxruntime runs the written model.onnx to the original file's logits and to the
 * project model's (1e-5); an .npz export of it is refused before any run row. Refused imports (class count, input size, an unsupported op, an
 * unknown representation node) leave the project as it was: no model, no run. Skipped, with the
 * reason printed, where /usr/bin/python3 cannot import torch.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeaturesConfig } from '../../../src-main/common/features-schemas';
import { AttackConfig } from '../../../src-main/common/attack-schemas';
import { modelSpecOf } from '../../../src-main/core/model-spec';
import { importWeights } from '../../../src-main/engine/models/model-weights';
import { missingPythonModules, runPythonJson } from '../python-oracle';
import {
  errorRelativeToScale,
  nchwToNhwcValues,
  type PyTorchFixture,
} from '../engine/models/onnx/pytorch-layout';
import { runWithOnnxRuntime } from '../engine/models/onnx-runtime-oracle';
import { useBackend } from '../engine/use-backend';
import { workerWorkbench, type WorkerWorkbench } from './worker-workbench';

const missing = missingPythonModules(['torch', 'numpy']);
const run = promisify(execFile);

/** NCHW flat → NHWC flat. */
/** PyTorch's probabilities of the classes the worker listed, in its order. */
function torchProbabilities(logits: readonly number[], row: number, labels: number[]): number[] {
  const z = logits.slice(row * 10, row * 10 + 10);
  const top = Math.max(...z);
  const total = z.reduce((sum, v) => sum + Math.exp(v - top), 0);
  return labels.map((label) => Math.exp((z[label] ?? NaN) - top) / total);
}

describe.skipIf(missing !== null)('ONNX models from PyTorch as project models', () => {
  let bench: WorkerWorkbench;
  let directory = '';
  let fixtures: PyTorchFixture[] = [];
  const report: string[] = [];

  const fixture = (name: string): PyTorchFixture => {
    const found = fixtures.find((f) => f.name === name);
    if (found === undefined) throw new Error(`no fixture ${name}`);
    return found;
  };
  const store = () => bench.workbench.projects.requireCurrent();

  /** A float32 dataset of the fixture's images (all test split), `classes` classes. */
  function datasetOf(f: PyTorchFixture, classes = 10): number {
    const [c, h, w] = f.inputShape;
    return store().datasets.insert({
      name: `${f.name} images (${classes} classes)`,
      imageShape: [h, w, c],
      classNames: Array.from({ length: classes }, (_, i) => `class ${i}`),
      source: 'test',
      split: { method: 'given', seed: 0, train: 0, test: f.labels.length },
      pixels: nchwToNhwcValues(f.images, f.inputShape),
      labels: Int32Array.from(f.labels.map((label) => label % classes)),
      splits: new Uint8Array(f.labels.length).fill(1),
    });
  }

  async function complete(start: { jobId: string; runId: number }): Promise<number> {
    expect(await bench.end(start)).toEqual({ state: 'completed', error: null });
    return start.runId;
  }

  beforeAll(async () => {
    await useBackend('wasm');
    bench = workerWorkbench(1, 'rfw-onnx-import-');
    directory = mkdtempSync(join(tmpdir(), 'rfw-onnx-fixtures-'));
    fixtures = runPythonJson<{ models: PyTorchFixture[] }>('test/reference/onnx_fixtures.py', [
      directory,
    ]).models;
  }, 120_000);

  afterAll(async () => {
    console.log(report.join('\n'));
    await bench.workbench.dispose();
    if (directory !== '') rmSync(directory, { recursive: true, force: true });
  });

  it.each(['batchnorm-cnn', 'normalized-cnn', 'preact-resnet18', 'activations-cnn'])(
    '%s: imported, attacked and explained on the worker with PyTorch’s logits',
    async (name) => {
      const f = fixture(name);
      const datasetId = datasetOf(f);
      const { handlers } = bench.workbench;
      const importRun = await complete(
        await handlers['jobs.importModel']({
          format: 'onnx',
          path: f.file,
          datasetId,
          inputRange: [0, 1],
        }),
      );
      const { result } = await handlers['runs.modelTransferResult']({ runId: importRun });
      if (result.kind !== 'import') throw new Error('not an import');
      const summary = (await handlers['models.list']({})).find((m) => m.id === result.modelId);
      const onnx = summary?.onnx;
      expect(summary).toMatchObject({ name, architecture: 'onnx', datasetId });
      expect(onnx).toMatchObject({
        fileName: `${name}.onnx`,
        sha256: createHash('sha256').update(readFileSync(f.file)).digest('hex'),
        opset: 13,
        inputShape: f.inputShape,
        inputRange: [0, 1],
      });
      expect(onnx?.producer).toMatch(/^pytorch /);
      expect(onnx?.representation.size).toBeGreaterThan(0);

      // The model as every worker rebuilds it from the project: PyTorch's logits.
      const record = store().models.get(result.modelId);
      const model = importWeights(modelSpecOf(record), store().models.weights(result.modelId));
      const [c, h, w] = f.inputShape;
      const n = f.labels.length;
      const logits = tf.tidy(() =>
        model
          .forward(tf.tensor4d(nchwToNhwcValues(f.images, f.inputShape), [n, h, w, c]))
          .logits.dataSync(),
      );
      model.dispose();
      const logitError = errorRelativeToScale(logits, f.logits);
      expect(logitError).toBeLessThan(1e-4);

      // Exported from the project on the worker: the file's own graph with the stored weights,
      // which onnxruntime runs to the original file's logits and to the project model's. The
      // formats written from a zoo layer graph are refused before any run row.
      const runsBefore = (await handlers['runs.list']({})).length;
      const folder = join(directory, `${name}-export`);
      await expect(
        Promise.resolve().then(() =>
          handlers['jobs.exportModel']({ modelId: result.modelId, format: 'npz', folder }),
        ),
      ).rejects.toThrow(
        /cannot be exported as npz: it exports as onnx only \(it was imported from an ONNX file/,
      );
      expect(await handlers['runs.list']({})).toHaveLength(runsBefore);
      const exportRun = await complete(
        await handlers['jobs.exportModel']({ modelId: result.modelId, format: 'onnx', folder }),
      );
      const exported = await handlers['runs.modelTransferResult']({ runId: exportRun });
      if (exported.result.kind !== 'export') throw new Error('not an export');
      expect(exported.result.files).toEqual([
        join(folder, 'model.onnx'),
        join(folder, 'README.txt'),
      ]);
      const nchw = [n, c, h, w];
      const batch = Float32Array.from(f.images);
      const ortExported = await runWithOnnxRuntime(
        readFileSync(join(folder, 'model.onnx')),
        batch,
        nchw,
      );
      const ortOriginal = await runWithOnnxRuntime(readFileSync(f.file), batch, nchw);
      const exportError = errorRelativeToScale(ortExported.values, logits);
      expect(errorRelativeToScale(ortExported.values, ortOriginal.values)).toBeLessThanOrEqual(
        1e-6,
      );
      expect(exportError).toBeLessThanOrEqual(1e-5);

      // An attack run on the worker: its clean predictions are PyTorch's.
      const attackRun = await complete(
        await handlers['jobs.startAttack'](
          AttackConfig.parse({
            modelId: result.modelId,
            datasetId,
            indices: [0, 1, 2, 3],
            indexSpace: 'test',
            method: 'pgd',
            perturbation: {
              constraint: 'linf',
              epsilon: 8 / 255,
              steps: 3,
              stepSize: 2 / 255,
              randomStart: false,
            },
            restarts: 1,
            targetClass: null,
            seed: 0,
          }),
        ),
      );
      const attack = await handlers['runs.attackResult']({ runId: attackRun });
      const worker = attack.examples.flatMap((e) => e.cleanTop5.map((p) => p.probability));
      const torch = attack.examples.flatMap((e, row) =>
        torchProbabilities(
          f.logits,
          row,
          e.cleanTop5.map((p) => p.label),
        ),
      );
      const probabilityError = errorRelativeToScale(worker, torch);
      expect(probabilityError).toBeLessThan(1e-4);
      expect(attack.examples.some((e) => e.linfNorm > 0)).toBe(true);

      // A saliency view on the worker: a gradient map per image.
      const features = await complete(
        await handlers['jobs.startFeatures'](
          FeaturesConfig.parse({
            view: 'saliency',
            name: `saliency ${name}`,
            datasetId,
            modelIds: [result.modelId],
            seed: 1,
            imageIndices: [0, 1],
            explain: 'label',
            methods: ['gradient'],
            smoothGradSamples: 2,
            smoothGradNoise: 0.15,
            integratedGradientsSteps: 2,
            integratedGradientsBaseline: 'black',
            randomizationCheck: false,
          }),
        ),
      );
      const saliency = await handlers['runs.featuresResult']({ runId: features });
      const row = saliency.result.panels[0]?.rows[0];
      expect(row?.cells.map((cell) => cell.display)).toEqual(['image', 'heatmap']);
      report.push(
        `${name}: logits error (stored model, as the worker rebuilds it) ${logitError.toExponential(2)}, ` +
          `worker's clean probabilities error ${probabilityError.toExponential(2)}; ` +
          `exported model.onnx in onnxruntime vs the stored model ${exportError.toExponential(2)}; ` +
          `representation ${onnx?.representation.node} [${onnx?.representation.shape.join(', ')}]`,
      );
    },
    240_000,
  );

  it('refuses a model of other images, of another class count, with an unsupported op or an unknown representation node, and writes nothing', () => {
    const { handlers } = bench.workbench;
    const mnistLike = datasetOf(fixture('batchnorm-cnn'));
    const threeClasses = datasetOf(fixture('batchnorm-cnn'), 3);
    const before = { runs: store().runs.list(), models: store().models.list() };
    const attempt =
      (name: string, datasetId: number, extra: Record<string, unknown> = {}) =>
      () =>
        handlers['jobs.importModel']({
          format: 'onnx',
          inputRange: [0, 1],
          path: fixture(name).file,
          datasetId,
          ...extra,
        });
    expect(attempt('normalized-cnn', mnistLike)).toThrow(
      'normalized-cnn.onnx takes images [C, H, W] = [3, 32, 32] (input "input"), but dataset ' +
        '"batchnorm-cnn images (10 classes)" has [1, 28, 28]: 3 channels, not 1 and 32×32 pixels, not 28×28',
    );
    expect(attempt('batchnorm-cnn', threeClasses)).toThrow(
      'batchnorm-cnn.onnx outputs 10 classes (output "logits" [batch, 10]), but dataset ' +
        '"batchnorm-cnn images (3 classes)" has 3',
    );
    expect(attempt('unsupported-op', mnistLike)).toThrow(
      /^unsupported-op\.onnx: ONNX node "[^"]*Sin[^"]*" \(Sin\): this op is not supported$/,
    );
    expect(attempt('batchnorm-cnn', mnistLike, { representation: 'no such node' })).toThrow(
      /^batchnorm-cnn\.onnx has no node named "no such node" for the representation \(its last nodes: /,
    );
    expect(attempt('batchnorm-cnn', mnistLike, { path: join(directory, 'missing.onnx') })).toThrow(
      /missing\.onnx cannot be read/,
    );
    expect(store().runs.list()).toEqual(before.runs);
    expect(store().models.list()).toEqual(before.models);
  });

  it('takes a named node as the representation, and refuses one of another rank', async () => {
    const { handlers } = bench.workbench;
    const f = fixture('normalized-cnn');
    const datasetId = datasetOf(f);
    const models = store().models.list().length;
    // The first Conv's output: [16, 32, 32] per image, flattened to 16384 values.
    const started = await handlers['jobs.importModel']({
      format: 'onnx',
      inputRange: [0, 1],
      path: f.file,
      datasetId,
      name: 'conv1 representation',
      representation: '/conv1/Conv',
    });
    await complete(started);
    const model = (await handlers['models.list']({})).find(
      (m) => m.name === 'conv1 representation',
    );
    expect(model?.onnx?.representation).toEqual({
      node: '/conv1/Conv',
      value: '/conv1/Conv_output_0',
      shape: [16, 32, 32],
      size: 16384,
    });
    expect(model?.onnx?.normalization?.nodes).toEqual(['/Sub', '/Div']);
    expect(model?.onnx?.normalization?.mean?.map((v) => v.toFixed(4))).toEqual([
      '0.4914',
      '0.4822',
      '0.4465',
    ]);
    // A Shape node's output is no tensor of the image: the engine refuses it, the run fails.
    const shapeNode = await handlers['jobs.importModel']({
      format: 'onnx',
      inputRange: [0, 1],
      path: fixture('batchnorm-cnn').file,
      datasetId: datasetOf(fixture('batchnorm-cnn')),
      representation: '/Shape',
    });
    const ended = await bench.end(shapeNode);
    expect(ended.state).toBe('failed');
    expect(ended.error).toMatch(/the representation|not computed from the input/);
    expect(store().models.list().length).toBe(models + 1);
  }, 120_000);

  it('imports through the built CLI and prints what it imported', async () => {
    const cli = resolve('out/main/cli.js');
    const home = mkdtempSync(join(tmpdir(), 'rfw-cli-onnx-'));
    const project = join(home, 'p.rfw');
    const rfw = async (...args: string[]) =>
      (await run(process.execPath, [cli, ...args], { env: { ...process.env, RFW_HOME: home } }))
        .stdout;
    await rfw('demo', '--project', project);
    const f = fixture('batchnorm-cnn');
    const text = await rfw(
      'import',
      '--project',
      project,
      '--format',
      'onnx',
      '--path',
      f.file,
      '--dataset',
      '1',
      '--input-range',
      '0,1',
    );
    expect(text).toMatch(/model \d+ "batchnorm-cnn": \d+ parameters, from /);
    expect(text).toContain(
      `ONNX batchnorm-cnn.onnx sha256 ${createHash('sha256').update(readFileSync(f.file)).digest('hex')}, opset 13, producer pytorch`,
    );
    expect(text).toMatch(/representation: output of \S+ \[64\] \(64 values\)/);

    // rfw export writes it back as ONNX: onnxruntime gives the original file's logits on it.
    const modelId = /model (\d+) "batchnorm-cnn"/.exec(text)?.[1] ?? '';
    const folder = join(home, 'exported');
    const exported = JSON.parse(
      await rfw(
        'export',
        '--project',
        project,
        '--model',
        modelId,
        '--format',
        'onnx',
        '--to',
        folder,
        '--json',
      ),
    ) as { files: string[] };
    expect(exported.files).toEqual([join(folder, 'model.onnx'), join(folder, 'README.txt')]);
    expect(readFileSync(join(folder, 'README.txt'), 'utf8')).toContain(
      `from batchnorm-cnn.onnx\n(SHA-256 ${createHash('sha256').update(readFileSync(f.file)).digest('hex')};`,
    );
    const [c, h, w] = f.inputShape;
    const nchw = [f.labels.length, c, h, w];
    const batch = Float32Array.from(f.images);
    const ortExported = await runWithOnnxRuntime(
      readFileSync(join(folder, 'model.onnx')),
      batch,
      nchw,
    );
    const ortOriginal = await runWithOnnxRuntime(readFileSync(f.file), batch, nchw);
    expect(errorRelativeToScale(ortExported.values, ortOriginal.values)).toBeLessThanOrEqual(1e-6);
    await expect(
      rfw(
        'export',
        '--project',
        project,
        '--model',
        modelId,
        '--format',
        'npz',
        '--to',
        join(home, 'npz'),
      ),
    ).rejects.toThrow(/cannot be exported as npz: it exports as onnx only/);

    await expect(
      rfw(
        'import',
        '--project',
        project,
        '--format',
        'onnx',
        '--path',
        fixture('normalized-cnn').file,
        '--dataset',
        '1',
      ),
    ).rejects.toThrow(/takes images \[C, H, W\] = \[3, 32, 32\]/);
    rmSync(home, { recursive: true, force: true });
  }, 120_000);
});
