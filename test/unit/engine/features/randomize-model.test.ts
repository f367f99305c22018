/**
 * The model-randomization check: a randomized copy has the model's spec and new seeded weights
 * (all, or only the named ones), imported tfjs-layers models included; the map similarity is
 * Spearman's ρ worked by hand; and on a trained MNIST model the gradient map changes when the
 * weights are randomized.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  mapSimilarity,
  randomizedCopy,
} from '../../../../src-main/engine/features/randomize-model';
import { saliencyMap, vanillaGradient } from '../../../../src-main/engine/features/saliency';
import { createModel } from '../../../../src-main/engine/models/create-model';
import { saveLayersModel } from '../../../../src-main/engine/models/export/layers-model-export';
import { importLayersModelFiles } from '../../../../src-main/engine/models/layers-model/import-layers-model';
import { exportWeights, importWeights } from '../../../../src-main/engine/models/model-weights';
import type { Model } from '../../../../src-main/engine/models/model-types';
import type { ModelSpec } from '../../../../src-main/engine/engine-types';
import { trainingStep } from '../../../../src-main/engine/training/training-step';
import { mnistDigits } from '../mnist-fixture';
import { useBackend } from '../use-backend';

const directory = mkdtempSync(join(tmpdir(), 'rfw-randomize-'));

function weightsOf(model: Model): Map<string, Float32Array> {
  return new Map(model.parameters.map((p) => [p.name, Float32Array.from(p.variable.dataSync())]));
}

function sameValues(a: Float32Array | undefined, b: Float32Array | undefined): boolean {
  return a !== undefined && b !== undefined && a.every((v, i) => v === b[i]);
}

describe('model randomization', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  const spec: ModelSpec = { architecture: 'mlp', inputShape: [4, 4, 1], numClasses: 3 };

  it('makes a copy with the same spec and fresh seeded weights, all or only the named ones', () => {
    const model = createModel(spec, 1);
    const before = tf.memory().numTensors;
    const trained = weightsOf(model);
    const copy = randomizedCopy(model, 2);
    const again = randomizedCopy(model, 2);
    expect(copy.spec).toEqual(model.spec);
    const fresh = weightsOf(copy);
    // Seeded: the same seed, the same weights; the weight matrices differ from the model's.
    const repeated = weightsOf(again);
    for (const [name, values] of fresh) expect(sameValues(repeated.get(name), values)).toBe(true);
    for (const name of ['fc1.weight', 'fc2.weight', 'fc3.weight']) {
      expect(sameValues(fresh.get(name), trained.get(name))).toBe(false);
    }
    // Cascading: only the top layer re-drawn, the rest the trained model's.
    const top = randomizedCopy(model, 2, { only: ['fc3.weight', 'fc3.bias'] });
    const partly = weightsOf(top);
    expect(sameValues(partly.get('fc3.weight'), fresh.get('fc3.weight'))).toBe(true);
    expect(sameValues(partly.get('fc2.weight'), trained.get('fc2.weight'))).toBe(true);
    expect(sameValues(partly.get('fc1.weight'), trained.get('fc1.weight'))).toBe(true);
    // The trained model is untouched.
    expect(sameValues(weightsOf(model).get('fc3.weight'), trained.get('fc3.weight'))).toBe(true);
    for (const m of [copy, again, top]) m.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => randomizedCopy(model, 2, { only: ['fc9.weight'] })).toThrow(
      /the model has no parameter fc9.weight; it has fc1.weight, fc1.bias/,
    );
    expect(() => randomizedCopy(model, 0.5)).toThrow(/seed must be a whole number, got 0.5/);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('randomizes an imported tfjs-layers model, and says why when its spec lacks the layers', async () => {
    const source = createModel(spec, 3);
    const files = await saveLayersModel(join(directory, 'mlp'), spec, exportWeights(source));
    const imported = await importLayersModelFiles(files.modelJson);
    const model = importWeights(imported.spec, imported.weights);
    const copy = randomizedCopy(model, 4);
    expect(copy.spec).toEqual(model.spec);
    const trained = weightsOf(model);
    const fresh = weightsOf(copy);
    expect([...fresh.keys()]).toEqual([...trained.keys()]);
    const kernel = [...trained.keys()].find((name) => name.endsWith('kernel')) ?? '';
    expect(sameValues(fresh.get(kernel), trained.get(kernel))).toBe(false);
    const images = tf.randomUniform([2, 4, 4, 1], 0, 1, 'float32', 5) as tf.Tensor4D;
    const logits = tf.tidy(() => Array.from(copy.forward(images).logits.dataSync()));
    expect(logits).toHaveLength(6);
    expect(logits.every(Number.isFinite)).toBe(true);
    const bare: ModelSpec = { architecture: 'tfjs-layers', inputShape: [4, 4, 1], numClasses: 3 };
    const stripped = { ...model, spec: bare };
    expect(() => randomizedCopy(stripped, 4)).toThrow(
      /cannot make a randomized copy of this tfjs-layers model: a tfjs-layers model spec must carry its layers description/,
    );
    tf.dispose(images);
    for (const m of [source, model, copy]) m.dispose();
  });

  it('mapSimilarity: Spearman’s ρ with tied ranks and Pearson’s r, per image', () => {
    // Image 0: a = (1, 2, 2, 3) ranks (1, 2.5, 2.5, 4); b = (1, 3, 2, 4) ranks (1, 3, 2, 4):
    //   centred (−1.5, 0, 0, 1.5) and (−1.5, 0.5, −0.5, 1.5): ρ = 4.5 / √(4.5 · 5) = 0.94868.
    // Image 1: b = a³ reversed in sign: ρ = −1 exactly, |r| < 1 (not linear).
    // Image 2: a constant map: undefined.
    const a = tf.tensor3d([1, 2, 2, 3, 0, 1, 2, 3, 5, 5, 5, 5], [3, 2, 2]);
    const b = tf.tensor3d([1, 3, 2, 4, -0, -1, -8, -27, 1, 2, 3, 4], [3, 2, 2]);
    const { spearman, pearson } = mapSimilarity(a, b);
    expect(spearman[0]).toBeCloseTo(4.5 / Math.sqrt(22.5), 6);
    expect(spearman[1]).toBeCloseTo(-1, 10);
    expect(pearson[1]).toBeGreaterThan(-0.99);
    expect(pearson[1]).toBeLessThan(-0.8);
    expect(spearman[2]).toBeNull();
    expect(pearson[2]).toBeNull();
    const self = mapSimilarity(a, a);
    expect(self.spearman.slice(0, 2)).toEqual([1, 1]);
    const other = tf.zeros([3, 2, 3]);
    expect(() => mapSimilarity(a, other)).toThrow(
      /the maps must have the same shape, got \[3, 2, 2\] and \[3, 2, 3\]/,
    );
    const broken = tf.tensor3d([1, NaN, 2, 3], [1, 2, 2]);
    expect(() => mapSimilarity(broken, broken)).toThrow(
      /the first map has a non-finite value at 1/,
    );
    tf.dispose([a, b, other, broken]);
  });
});

describe('model randomization on a trained model', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('the gradient map of a trained MNIST model changes when its weights are randomized', () => {
    // An MLP given 20 Adam steps on 100 digits (a second or two on wasm; the attack tests'
    // trained CNN takes several times longer), then one test digit of each class.
    const model = createModel({ architecture: 'mlp', inputShape: [28, 28, 1], numClasses: 10 }, 3);
    const train = mnistDigits(10, 100);
    const x = tf.tensor4d(train.images.data, train.images.shape);
    const y = tf.tensor1d(train.labels, 'int32');
    const optimizer = tf.train.adam(2e-3);
    for (let i = 0; i < 20; i++) trainingStep(model, optimizer, x, y);
    optimizer.dispose();
    tf.dispose([x, y]);
    const digits = mnistDigits(1);
    const images = tf.tensor4d(digits.images.data, digits.images.shape);
    const classes = digits.labels;
    const random = randomizedCopy(model, 77);
    const mapOf = (m: Model): tf.Tensor3D =>
      tf.tidy(() => saliencyMap(vanillaGradient(m, images, classes)));
    const trainedMap = mapOf(model);
    const repeatMap = mapOf(model);
    const randomMap = mapOf(random);
    expect(mapSimilarity(trainedMap, repeatMap).spearman).toEqual(new Array(10).fill(1));
    const changed = mapSimilarity(trainedMap, randomMap).spearman;
    // Measured: |ρ| < 0.06 for every digit. A map that only traced the digit would keep ρ high.
    const mean = changed.reduce<number>((total, rho) => total + (rho ?? 1), 0) / changed.length;
    expect(mean).toBeLessThan(0.3);
    tf.dispose([images, trainedMap, repeatMap, randomMap]);
    random.dispose();
    model.dispose();
  });
});
