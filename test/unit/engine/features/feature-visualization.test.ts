/**
 * Feature visualization: the top-activating images of a unit, in order with ties by index, for
 * uint8 and float datasets and any batch size; feature maximization raises the unit, stays in
 * the L2 ball and the pixel box, moves a unit that is off only with the fake ReLU (worked by
 * hand), holds the same tensors at every step, cancels cleanly, and refuses bad input.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ArchitectureName } from '../../../../src-main/common/model-schemas';
import {
  maximizeFeature,
  topActivating,
} from '../../../../src-main/engine/features/feature-visualization';
import { ArchitectureRegistry } from '../../../../src-main/engine/models/architecture-registry';
import { createModel } from '../../../../src-main/engine/models/create-model';
import { flatten, representationRelu } from '../../../../src-main/engine/models/layers';
import type { Model } from '../../../../src-main/engine/models/model-types';
import { useBackend } from '../use-backend';

/**
 * On 2×2×1 images: a = (Σ_i x_i − 3, x_0 − x_3), r = ReLU(a) (fake on request), logits = r.
 * Unit 0 is off (a₀ < 0) until the pixels sum past 3.
 */
function gateModel(): Model {
  const registry = new ArchitectureRegistry();
  registry.register({
    name: 'gate' as ArchitectureName,
    description: 'r = ReLU(Σx − 3, x₀ − x₃)',
    parameters: () => [],
    forward: (_parameters, images, options) => {
      const x = flatten(images);
      const weights = tf.tensor2d([1, 1, 1, 0, 1, 0, 1, -1], [4, 2]);
      const before = tf.add(tf.matMul(x, weights), tf.tensor1d([-3, 0])) as tf.Tensor2D;
      const representation = representationRelu(before, options.fakeRelu ?? false);
      return { logits: representation, representation };
    },
  });
  return createModel(
    { architecture: 'gate' as ArchitectureName, inputShape: [2, 2, 1], numClasses: 2 },
    1,
    registry,
  );
}

/** r(x) = flatten(x): unit u is pixel u (2×2×1 images, 4 classes). */
function pixelModel(): Model {
  const registry = new ArchitectureRegistry();
  registry.register({
    name: 'pixels' as ArchitectureName,
    description: 'r = flatten(x)',
    parameters: () => [],
    forward: (_parameters, images) => {
      const representation = flatten(images);
      return { logits: representation, representation };
    },
  });
  return createModel(
    { architecture: 'pixels' as ArchitectureName, inputShape: [2, 2, 1], numClasses: 4 },
    1,
    registry,
  );
}

function randomCase(): { model: Model; start: tf.Tensor4D; unit: number } {
  const model = createModel(
    { architecture: 'small-cnn', inputShape: [8, 8, 3], numClasses: 4 },
    41,
  );
  const start = tf.randomUniform([3, 8, 8, 3], 0, 1, 'float32', 42) as tf.Tensor4D;
  // The unit most active on average at the start, so that the rise is measurable for every image.
  const unit = tf.tidy(() => tf.argMax(tf.mean(model.forward(start).representation, 0)).dataSync());
  return { model, start, unit: unit[0] ?? 0 };
}

function l2Distances(a: tf.Tensor4D, b: tf.Tensor4D): number[] {
  return tf.tidy(() =>
    Array.from(
      tf.sqrt(tf.sum(tf.reshape(tf.square(tf.sub(a, b)), [a.shape[0], -1]), 1)).dataSync(),
    ),
  );
}

describe('topActivating', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  // Pixel 0 of the five images: 10, 50, 50, 255, 50 (of 255): image 3 first, then the three
  // 50s in index order, then image 0.
  const bytes = Uint8Array.from([
    10, 200, 0, 0, 50, 200, 0, 0, 50, 100, 0, 0, 255, 0, 0, 0, 50, 0, 0, 0,
  ]);

  it('ranks the images by the unit, ties by index, in any batch size, uint8 or float', () => {
    const model = pixelModel();
    const before = tf.memory().numTensors;
    const batches: number[] = [];
    const means: number[] = [];
    const top = topActivating(
      model,
      { shape: [5, 2, 2, 1], data: bytes },
      0,
      4,
      { batchSize: 2 },
      { beforeStep: (b) => batches.push(b), onStep: (_b, mean) => means.push(mean) },
    );
    expect(Array.from(top.indices)).toEqual([3, 1, 2, 4]);
    [1, 50 / 255, 50 / 255, 50 / 255].forEach((v, i) =>
      expect(top.activations[i]).toBeCloseTo(v, 6),
    );
    expect(batches).toEqual([0, 1, 2]);
    expect(means[2]).toBeCloseTo(50 / 255, 6);
    const floats = Float32Array.from(bytes, (v) => v / 255);
    for (const batchSize of [1, 3, 256]) {
      const again = topActivating(model, { shape: [5, 2, 2, 1], data: floats }, 0, 5, {
        batchSize,
      });
      expect(Array.from(again.indices)).toEqual([3, 1, 2, 4, 0]);
    }
    // Unit 1: 200, 200, 100, 0, 0 → images 0 and 1 tie at the top.
    const second = topActivating(model, { shape: [5, 2, 2, 1], data: bytes }, 1, 2);
    expect(Array.from(second.indices)).toEqual([0, 1]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('stops at the cancel check and refuses bad input with clear messages', () => {
    const model = pixelModel();
    const before = tf.memory().numTensors;
    const images = { shape: [5, 2, 2, 1] as [number, number, number, number], data: bytes };
    expect(() =>
      topActivating(
        model,
        images,
        0,
        2,
        { batchSize: 1 },
        {
          beforeStep: (b) => {
            if (b === 2) throw new Error('cancelled');
          },
        },
      ),
    ).toThrow('cancelled');
    expect(() => topActivating(model, images, 0, 6)).toThrow(
      /k = 6 is more than the 5 images there are/,
    );
    expect(() => topActivating(model, images, 0, 0)).toThrow(/k must be a whole number ≥ 1/);
    expect(() => topActivating(model, images, 4, 1)).toThrow(
      /unit 4 is outside 0..3 \(the representation has 4\)/,
    );
    expect(() => topActivating(model, images, -1, 1)).toThrow(
      /the unit must be a whole number ≥ 0/,
    );
    expect(() => topActivating(model, { shape: [5, 1, 4, 1], data: bytes }, 0, 1)).toThrow(
      /images are 1×4×1 but the model takes 2×2×1/,
    );
    expect(() =>
      topActivating(model, { shape: [1, 2, 2, 1], data: Float32Array.from([0, 2, 0, 0]) }, 0, 1),
    ).toThrow(/float pixels must lie in \[0,1\], found 2/);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe('maximizeFeature', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('raises the unit on a random network, inside the L2 ball and the pixel box', () => {
    const { model, start, unit } = randomCase();
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    const frames: number[] = [];
    const outcome = maximizeFeature(
      model,
      start,
      unit,
      { steps: 10, stepSize: 0.2, epsilon: 1 },
      {
        beforeStep: () => counts.push(tf.memory().numTensors),
        onFrame: (step, images) => {
          const pixels = images.dataSync();
          frames.push(step);
          expect(Math.min(...pixels)).toBeGreaterThanOrEqual(0);
          expect(Math.max(...pixels)).toBeLessThanOrEqual(1);
        },
      },
    );
    expect(new Set(counts).size).toBe(1);
    expect(frames).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    outcome.activationAfter.forEach((after, n) =>
      expect(after).toBeGreaterThan(outcome.activationBefore[n] ?? Infinity),
    );
    expect(outcome.activationPerStep).toHaveLength(11);
    expect(outcome.activationPerStep.at(-1)).toBeGreaterThan(outcome.activationPerStep[0] ?? 0);
    for (const distance of l2Distances(outcome.images, start)) {
      expect(distance).toBeLessThanOrEqual(1 + 1e-4);
    }
    // Unconstrained (ε = ∞) from the same start: only the box holds, and the unit rises further.
    const free = maximizeFeature(model, start, unit, {
      steps: 10,
      stepSize: 0.2,
      epsilon: Infinity,
    });
    const pixels = free.images.dataSync();
    expect(Math.min(...pixels)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...pixels)).toBeLessThanOrEqual(1);
    expect(free.activationPerStep.at(-1)).toBeGreaterThan(outcome.activationPerStep.at(-1) ?? 0);
    tf.dispose([outcome.images, free.images]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(start);
    model.dispose();
  });

  it('moves a unit that is off only through the fake ReLU: the steps worked by hand', () => {
    // Image 0 = 0.2 everywhere: a₀ = 0.8 − 3 < 0, r₀ = 0. With the fake ReLU ∇a₀ = (1,1,1,1), the
    // unit step is 0.5 per pixel and α = 0.5 adds 0.25: 0.45, 0.7, 0.95 → a₀ = 3.8 − 3 = 0.8.
    // Image 1 = 0.9 everywhere: already on; 0.9 + 0.25 clips to 1, r₀ = 1.
    const model = gateModel();
    const start = tf.tensor4d([0.2, 0.2, 0.2, 0.2, 0.9, 0.9, 0.9, 0.9], [2, 2, 2, 1]);
    const options = { steps: 3, stepSize: 0.5, epsilon: Infinity };
    const fake = maximizeFeature(model, start, 0, options);
    expect(fake.activationBefore[0]).toBe(0);
    expect(fake.activationBefore[1]).toBeCloseTo(0.6, 6);
    expect(fake.activationAfter[0]).toBeCloseTo(0.8, 5);
    expect(fake.activationAfter[1]).toBeCloseTo(1, 6);
    const mean = (a: number, b: number): number => (a + b) / 2;
    [mean(0, 0.6), mean(0, 1), mean(0, 1), mean(0.8, 1)].forEach((v, t) =>
      expect(fake.activationPerStep[t]).toBeCloseTo(v, 5),
    );
    const images = Array.from(fake.images.dataSync());
    [0.95, 0.95, 0.95, 0.95, 1, 1, 1, 1].forEach((v, i) => expect(images[i]).toBeCloseTo(v, 5));
    // The real ReLU: image 0 has gradient 0 and stays where it is.
    const real = maximizeFeature(model, start, 0, { ...options, fakeRelu: false });
    expect(real.activationAfter[0]).toBe(0);
    expect(Array.from(real.images.dataSync()).slice(0, 4)).toEqual(
      Array.from(start.dataSync()).slice(0, 4),
    );
    // ε = 0.5: the first step reaches the sphere (δ = 0.25 per pixel, ‖δ‖ = 0.5); later steps
    // are projected back onto it, so the image stays at 0.45.
    const ball = maximizeFeature(model, start, 0, { ...options, epsilon: 0.5 });
    Array.from(ball.images.dataSync())
      .slice(0, 4)
      .forEach((v) => expect(v).toBeCloseTo(0.45, 5));
    tf.dispose([fake.images, real.images, ball.images, start]);
    model.dispose();
  });

  it('stops at the cancel check without leaking, and refuses bad input', () => {
    const { model, start, unit } = randomCase();
    const before = tf.memory().numTensors;
    const reported: number[] = [];
    expect(() =>
      maximizeFeature(
        model,
        start,
        unit,
        { steps: 20, stepSize: 0.1, epsilon: 2 },
        {
          beforeStep: (step) => {
            if (step === 2) throw new Error('cancelled');
          },
          onStep: (step) => reported.push(step),
        },
      ),
    ).toThrow('cancelled');
    expect(reported).toEqual([0, 1]);
    expect(() =>
      maximizeFeature(
        model,
        start,
        unit,
        { steps: 2, stepSize: 0.1, epsilon: 2 },
        {
          onFrame: (step) => {
            if (step === 1) throw new Error('cancelled at the end');
          },
        },
      ),
    ).toThrow('cancelled at the end');
    const run =
      (options: { steps: number; stepSize: number; epsilon: number }, u = unit) =>
      () =>
        maximizeFeature(model, start, u, options);
    expect(run({ steps: 0, stepSize: 0.1, epsilon: 1 })).toThrow(
      /steps must be a whole number ≥ 1/,
    );
    expect(run({ steps: 1, stepSize: -1, epsilon: 1 })).toThrow(
      /the step size must be greater than 0/,
    );
    expect(run({ steps: 1, stepSize: 0.1, epsilon: NaN })).toThrow(
      /epsilon \(the L2 radius\) must be a finite number/,
    );
    expect(run({ steps: 1, stepSize: 0.1, epsilon: 1 }, 128)).toThrow(
      /unit 128 is outside 0..127 \(the representation has 128\)/,
    );
    expect(run({ steps: 1, stepSize: 0.1, epsilon: 1 }, 1.5)).toThrow(
      /the unit must be a whole number ≥ 0, got 1.5/,
    );
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(start);
    model.dispose();
  });
});
