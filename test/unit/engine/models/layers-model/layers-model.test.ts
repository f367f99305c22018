/**
 * tfjs-layers export and import: every built-in architecture exported as model.json + weights.bin
 * loads in tf.loadLayersModel and gives the workbench's logits; such files, and a model made
 * with tfjs-layers itself (softmax output, BatchNorm, Dropout, inputs in [0,255]), import as
 * 'tfjs-layers' models with the same outputs, input gradients, buffers, and clear errors for
 * files the workbench cannot use. Loading tfjs-layers leaves the engine's gradients in place.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineGradients } from '../../../../../src-main/engine/gradients/register-gradients';
import { createModel } from '../../../../../src-main/engine/models/create-model';
import { saveLayersModel } from '../../../../../src-main/engine/models/export/layers-model-export';
import { importLayersModelFiles } from '../../../../../src-main/engine/models/layers-model/import-layers-model';
import { layersLibrary } from '../../../../../src-main/engine/models/layers-model/layers-library';
import { exportWeights, importWeights } from '../../../../../src-main/engine/models/model-weights';
import type { Model } from '../../../../../src-main/engine/models/model-types';
import type { ModelSpec } from '../../../../../src-main/engine/engine-types';
import { maxRelativeError, useBackend } from '../../use-backend';

const directory = mkdtempSync(join(tmpdir(), 'rfw-layers-'));

/** tf.loadLayersModel's input, read from the files the way tfjs-node's file:// handler does. */
function filesHandler(modelJsonPath: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(readFileSync(modelJsonPath, 'utf8')) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs = manifest.flatMap((group) => group.weights);
        const buffers = manifest.flatMap((group) =>
          group.paths.map((path) => {
            const bytes = readFileSync(join(dirname(modelJsonPath), path));
            return bytes.buffer.slice(
              bytes.byteOffset,
              bytes.byteOffset + bytes.byteLength,
            ) as ArrayBuffer;
          }),
        );
        return [specs, tf.io.CompositeArrayBuffer.join(buffers)];
      });
    },
  };
}

/** Saves a tfjs-layers model to files with tfjs' own serializer. */
async function saveWithTfjs(model: tfl.LayersModel, folder: string): Promise<string> {
  mkdirSync(folder, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      writeFileSync(
        join(folder, 'group1-shard1of1.bin'),
        new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData)),
      );
      writeFileSync(
        join(folder, 'model.json'),
        JSON.stringify({
          modelTopology: artifacts.modelTopology,
          format: 'layers-model',
          weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: artifacts.weightSpecs }],
        }),
      );
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return join(folder, 'model.json');
}

function outputsOf(
  model: Model,
  images: tf.Tensor4D,
): { logits: Float32Array; representation: Float32Array } {
  return tf.tidy(() => {
    const { logits, representation } = model.forward(images);
    return {
      logits: logits.dataSync() as Float32Array,
      representation: representation.dataSync() as Float32Array,
    };
  });
}

/** A trained-looking model: random γ/β and running statistics moved off their initial values. */
function modelWithStatistics(spec: ModelSpec, seed: number): Model {
  const model = createModel(spec, seed);
  tf.tidy(() => {
    const images = tf.randomUniform([8, ...spec.inputShape], 0, 1, 'float32', seed) as tf.Tensor4D;
    for (let i = 0; i < 3; i++) model.forward(images, { training: true });
    for (const p of model.parameters) {
      if (/bn\d?\.(weight|bias)$/.test(p.name)) {
        p.variable.assign(
          tf.randomUniform(p.variable.shape, 0.5, 1.5, 'float32', seed + p.name.length),
        );
      }
    }
  });
  return model;
}

describe('tfjs-layers export and import', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('loading tfjs-layers keeps the engine’s own gradients', () => {
    const before = engineGradients.map((config) => tf.getGradient(config.kernelName));
    layersLibrary();
    expect(engineGradients.map((config) => tf.getGradient(config.kernelName))).toEqual(before);
    expect(tf.getGradient('FusedBatchNorm')).toBeDefined();
  });

  const specs: ModelSpec[] = [
    { architecture: 'small-cnn', inputShape: [28, 28, 1], numClasses: 10 },
    { architecture: 'madry-cnn', inputShape: [28, 28, 1], numClasses: 10 },
    { architecture: 'cifar-cnn', inputShape: [32, 32, 3], numClasses: 10 },
    { architecture: 'mlp', inputShape: [28, 28, 1], numClasses: 10 },
    { architecture: 'preact-resnet', inputShape: [32, 32, 3], numClasses: 10 },
    { architecture: 'preact-resnet', inputShape: [28, 28, 1], numClasses: 4 },
  ];
  for (const spec of specs) {
    it(`${spec.architecture} ${spec.inputShape.join('×')}: exported files load in tf.loadLayersModel with the same logits, and import back`, async () => {
      const model = modelWithStatistics(spec, 11);
      const weights = exportWeights(model);
      const folder = join(directory, `${spec.architecture}-${spec.inputShape[0]}`);
      const files = await saveLayersModel(folder, spec, weights);
      const images = tf.randomUniform([3, ...spec.inputShape], 0, 1, 'float32', 12) as tf.Tensor4D;
      const expected = outputsOf(model, images);

      const loaded = await layersLibrary().loadLayersModel(filesHandler(files.modelJson));
      const logits = tf.tidy(() => (loaded.predict(images) as tf.Tensor).dataSync());
      expect(maxRelativeError(logits, expected.logits)).toBeLessThan(1e-4);
      loaded.dispose();

      const imported = await importLayersModelFiles(files.modelJson);
      expect(imported.spec.inputShape).toEqual(spec.inputShape);
      expect(imported.spec.numClasses).toBe(spec.numClasses);
      expect(imported.spec.layers.removedSoftmax).toBe(false);
      const before = tf.memory().numTensors;
      const copy = importWeights(imported.spec, imported.weights);
      const again = outputsOf(copy, images);
      expect(maxRelativeError(again.logits, expected.logits)).toBeLessThan(1e-4);
      expect(maxRelativeError(again.representation, expected.representation)).toBeLessThan(1e-4);
      copy.dispose();
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose(images);
      model.dispose();
    });
  }

  it('imports a tfjs-layers model with softmax, BatchNorm, Dropout and a [0,255] input range', async () => {
    const library = layersLibrary();
    const source = library.sequential({
      layers: [
        library.layers.conv2d({
          inputShape: [8, 8, 1],
          filters: 4,
          kernelSize: 3,
          activation: 'relu',
          name: 'conv',
        }),
        library.layers.batchNormalization({ name: 'norm' }),
        library.layers.flatten({ name: 'flat' }),
        library.layers.dense({ units: 6, activation: 'relu', name: 'hidden' }),
        library.layers.dropout({ rate: 0.5, name: 'drop' }),
        library.layers.dense({ units: 3, activation: 'softmax', name: 'out' }),
      ],
    });
    const norm = source.getLayer('norm');
    norm.setWeights(norm.getWeights().map((w, i) => tf.fill(w.shape, [1.5, 0.2, 0.3, 2][i] ?? 1)));
    const path = await saveWithTfjs(source, join(directory, 'tfjs-made'));
    const imported = await importLayersModelFiles(path, { inputRange: [0, 255] });
    expect(imported.spec.layers).toMatchObject({
      removedSoftmax: true,
      logitsLayer: 'out',
      inputRange: [0, 255],
    });
    expect(imported.spec.inputShape).toEqual([8, 8, 1]);
    expect(imported.notes.join(' ')).toMatch(/softmax of out was taken off/);
    const model = importWeights(imported.spec, imported.weights);
    const buffers = model.parameters.filter((p) => !p.trainable).map((p) => p.name);
    expect(buffers).toEqual(['norm/moving_mean', 'norm/moving_variance']);

    const images = tf.randomUniform([4, 8, 8, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
    const [probabilities, ours, hidden] = tf.tidy(() => {
      const { logits } = model.forward(images);
      const direct = source.predict(tf.mul(images, 255)) as tf.Tensor;
      const hiddenModel = library.model({
        inputs: source.inputs,
        outputs: source.getLayer('hidden').output as tfl.SymbolicTensor,
      });
      return [
        direct.dataSync(),
        tf.softmax(logits).dataSync(),
        (hiddenModel.predict(tf.mul(images, 255)) as tf.Tensor).dataSync(),
      ];
    });
    expect(maxRelativeError(ours ?? [], probabilities ?? [])).toBeLessThan(1e-5);

    // The representation is the logits layer's input (after the dropout, i.e. the hidden layer).
    const representation = tf.tidy(() => model.forward(images).representation.dataSync());
    expect(maxRelativeError(representation, hidden ?? [])).toBeLessThan(1e-5);

    // Gradients w.r.t. the input (what attacks need), and a clear refusal of the fake ReLU.
    const gradientNorm = tf.tidy(
      () =>
        tf
          .norm(
            tf.grad((x: tf.Tensor) =>
              tf.sum(tf.slice(model.forward(x as tf.Tensor4D).logits, [0, 1], [-1, 1])),
            )(images),
          )
          .dataSync()[0] ?? 0,
    );
    expect(gradientNorm).toBeGreaterThan(0);
    expect(Number.isFinite(gradientNorm)).toBe(true);
    expect(() => model.forward(images, { fakeRelu: true })).toThrow(/fake ReLU is not available/);

    // Training mode moves the moving statistics; inference does not.
    const movingMean = () =>
      Array.from(
        model.parameters.find((p) => p.name === 'norm/moving_mean')?.variable.dataSync() ?? [],
      );
    const start = movingMean();
    tf.tidy(() => {
      model.forward(images);
    });
    expect(movingMean()).toEqual(start);
    tf.tidy(() => {
      model.forward(images, { training: true });
    });
    expect(movingMean()).not.toEqual(start);

    // Weights round-trip through the workbench's storage form.
    const copy = importWeights(imported.spec, exportWeights(model));
    expect(
      maxRelativeError(outputsOf(copy, images).logits, outputsOf(model, images).logits),
    ).toBeLessThan(1e-6);
    tf.dispose(images);
    model.dispose();
    copy.dispose();
    source.dispose();
  });

  it('refuses files it cannot use, saying why', async () => {
    const library = layersLibrary();
    await expect(importLayersModelFiles(join(directory, 'nowhere', 'model.json'))).rejects.toThrow(
      /cannot be read/,
    );
    const graphFolder = join(directory, 'graph');
    mkdirSync(graphFolder);
    writeFileSync(
      join(graphFolder, 'model.json'),
      JSON.stringify({ format: 'graph-model', modelTopology: {} }),
    );
    await expect(importLayersModelFiles(join(graphFolder, 'model.json'))).rejects.toThrow(
      /graph model/,
    );

    const sigmoid = library.sequential({
      layers: [
        library.layers.flatten({ inputShape: [4, 4, 1] }),
        library.layers.dense({ units: 3, activation: 'sigmoid', name: 'last' }),
      ],
    });
    const sigmoidPath = await saveWithTfjs(sigmoid, join(directory, 'sigmoid'));
    await expect(importLayersModelFiles(sigmoidPath)).rejects.toThrow(
      /last Dense layer last applies 'sigmoid'/,
    );

    const flat = library.sequential({
      layers: [library.layers.dense({ inputShape: [12], units: 2, name: 'logits' })],
    });
    const flatPath = await saveWithTfjs(flat, join(directory, 'flat'));
    await expect(importLayersModelFiles(flatPath)).rejects.toThrow(/flat vectors of 12 values/);
    const flatImport = await importLayersModelFiles(flatPath, { imageShape: [2, 2, 3] });
    expect(flatImport.spec.layers.flatInput).toBe(true);
    expect(flatImport.spec.inputShape).toEqual([2, 2, 3]);

    // A manifest path out of the model's folder is refused, naming it (issue 12 §12).
    const outside = JSON.parse(readFileSync(flatPath, 'utf8')) as {
      weightsManifest: { paths: string[] }[];
    };
    outside.weightsManifest[0] = {
      ...outside.weightsManifest[0],
      paths: ['../sigmoid/group1-shard1of1.bin'],
    };
    const outsidePath = join(directory, 'flat', 'outside.json');
    writeFileSync(outsidePath, JSON.stringify(outside));
    await expect(importLayersModelFiles(outsidePath, { imageShape: [2, 2, 3] })).rejects.toThrow(
      /weight file path \.\.\/sigmoid\/group1-shard1of1\.bin leads outside the model's folder/,
    );

    rmSync(join(directory, 'flat', 'group1-shard1of1.bin'));
    await expect(importLayersModelFiles(flatPath, { imageShape: [2, 2, 3] })).rejects.toThrow(
      /weight file group1-shard1of1.bin cannot be read/,
    );
    expect(() =>
      importWeights({ architecture: 'tfjs-layers', inputShape: [2, 2, 3], numClasses: 2 }, []),
    ).toThrow(/must carry its layers description/);
    sigmoid.dispose();
    flat.dispose();
  });
});
