import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ArchitectureRegistry,
  architectures,
} from '../../../../src-main/engine/models/architecture-registry';
import { createModel } from '../../../../src-main/engine/models/create-model';
import { smallCnn } from '../../../../src-main/engine/models/small-cnn';
import {
  exportWeights,
  importWeights,
  parameterCount,
} from '../../../../src-main/engine/models/model-weights';
import type { ModelSpec } from '../../../../src-main/engine/engine-types';
import { useBackend } from '../use-backend';

const mnistSmall: ModelSpec = {
  architecture: 'small-cnn',
  inputShape: [28, 28, 1],
  numClasses: 10,
};

describe('models', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('gives logits and the penultimate representation with the documented shapes', () => {
    const model = createModel(mnistSmall, 1);
    const images = tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 2) as tf.Tensor4D;
    const { logits, representation } = model.forward(images);
    expect(logits.shape).toEqual([3, 10]);
    expect(representation.shape).toEqual([3, 128]);
    expect(Math.min(...representation.dataSync())).toBeGreaterThanOrEqual(0);
    tf.dispose([images, logits, representation]);
    model.dispose();
  });

  it('counts parameters (small-cnn 206,922; madry-cnn 3,274,634 on MNIST)', () => {
    expect(parameterCount(mnistSmall)).toBe(160 + 4640 + (1568 * 128 + 128) + (128 * 10 + 10));
    expect(parameterCount({ ...mnistSmall, architecture: 'madry-cnn' })).toBe(3_274_634);
  });

  it('is deterministic given the seed and differs across seeds', () => {
    const a = exportWeights(withModel(mnistSmall, 7));
    const b = exportWeights(withModel(mnistSmall, 7));
    const c = exportWeights(withModel(mnistSmall, 8));
    expect(a.map((w) => Array.from(w.data))).toEqual(b.map((w) => Array.from(w.data)));
    expect(Array.from(a[0]?.data ?? [])).not.toEqual(Array.from(c[0]?.data ?? []));
    // He-normal: std ≈ sqrt(2 / fanIn) for conv2 (fanIn 144).
    const conv2 = a.find((w) => w.name === 'conv2.weight')?.data ?? new Float32Array();
    const std = Math.sqrt(conv2.reduce((s, v) => s + v * v, 0) / conv2.length);
    expect(std).toBeCloseTo(Math.sqrt(2 / 144), 2);
  });

  it('round-trips weights exactly and gives the same outputs', () => {
    const model = createModel(mnistSmall, 3);
    const copy = importWeights(mnistSmall, exportWeights(model));
    const images = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 4) as tf.Tensor4D;
    const a = tf.tidy(() => model.forward(images).logits).dataSync();
    const b = tf.tidy(() => copy.forward(images).logits).dataSync();
    expect(Array.from(b)).toEqual(Array.from(a));
    tf.dispose(images);
    model.dispose();
    copy.dispose();
  });

  it('refuses mismatched weights with messages that name the weight', () => {
    const weights = exportWeights(withModel(mnistSmall, 1));
    expect(() => importWeights(mnistSmall, weights.slice(1))).toThrow(/conv1.weight is missing/);
    const bad = weights.map((w) =>
      w.name === 'fc2.bias' ? { ...w, shape: [11], data: new Float32Array(11) } : w,
    );
    expect(() => importWeights(mnistSmall, bad)).toThrow(
      /fc2.bias has shape \[11\].*expects \[10\]/,
    );
    expect(() =>
      importWeights(mnistSmall, [
        ...weights,
        { name: 'extra', shape: [1], data: new Float32Array(1) },
      ]),
    ).toThrow(/not part of small-cnn: extra/);
    expect(() => createModel({ ...mnistSmall, numClasses: 1 }, 1)).toThrow(/at least 2 classes/);
    expect(() => createModel({ ...mnistSmall, inputShape: [2, 2, 1] }, 1)).toThrow(/at least 4×4/);
  });

  it('registry refuses duplicates and unknown names', () => {
    const registry = new ArchitectureRegistry();
    registry.register(smallCnn);
    expect(() => registry.register(smallCnn)).toThrow(/already registered/);
    expect(() => architectures.get('resnet-1000')).toThrow(/unknown architecture resnet-1000/);
  });

  it('fake ReLU passes gradient where the ReLU is off', () => {
    const model = createModel(mnistSmall, 5);
    const images = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 6) as tf.Tensor4D;
    // A representation unit that is off (ReLU output 0) for every image.
    const rep = tf.tidy(() => model.forward(images).representation.arraySync());
    const unit = (rep[0] ?? []).findIndex((_, j) => rep.every((row) => row[j] === 0));
    expect(unit).toBeGreaterThanOrEqual(0);
    const norm = (fakeRelu: boolean): number =>
      tf.tidy(() => {
        const feature = (x: tf.Tensor): tf.Scalar =>
          tf.sum(
            tf.slice(
              model.forward(x as tf.Tensor4D, { fakeRelu }).representation,
              [0, unit],
              [-1, 1],
            ),
          );
        return tf.sum(tf.abs(tf.grad(feature)(images))).dataSync()[0] ?? 0;
      });
    expect(norm(false)).toBe(0);
    expect(norm(true)).toBeGreaterThan(0);
    tf.dispose(images);
    model.dispose();
  });
});

function withModel(spec: ModelSpec, seed: number): ReturnType<typeof createModel> {
  const model = createModel(spec, seed);
  const copy = importWeights(spec, exportWeights(model));
  model.dispose();
  return copy;
}
