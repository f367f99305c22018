/**
 * Generation, super-resolution and in-painting on a small-cnn briefly trained on MNIST: the
 * target class's probability rises, super-resolution stays within ε of the upsampled image,
 * in-painting leaves every pixel outside the mask bit-identical, the tensor count is the same at
 * every step, and bad input gets clear messages.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { l2NormPerExample } from '../../../../src-main/engine/attacks/constraints/per-example-norm';
import {
  downsampleBlocks,
  upsampleBlocks,
} from '../../../../src-main/engine/features/block-resample';
import {
  fitClassGaussians,
  sampleSeeds,
} from '../../../../src-main/engine/features/class-conditional-seed';
import type { ClassAscentOutcome } from '../../../../src-main/engine/features/class-score-ascent';
import { featuresDefaults } from '../../../../src-main/common/features-defaults';
import {
  generateClass,
  inpaint,
  superResolve,
} from '../../../../src-main/engine/features/synthesize';
import { attackFixture, type AttackFixture } from '../attacks/attack-model';
import { mnistDigits } from '../mnist-fixture';
import { useBackend } from '../use-backend';

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

/** Mean target probability over the batch at x⁰ and at x^T. */
function probabilityRise(outcome: ClassAscentOutcome): { first: number; last: number } {
  const first = outcome.predictionsPerStep[0]?.[0]?.targetProbability ?? [];
  const last = outcome.predictionsPerStep.at(-1)?.[0]?.targetProbability ?? [];
  return { first: mean(first), last: mean(last) };
}

function l2Distances(a: tf.Tensor4D, b: tf.Tensor4D): number[] {
  return tf.tidy(() => Array.from(l2NormPerExample(tf.sub(a, b) as tf.Tensor4D).dataSync()));
}

describe('synthesis with one classifier', () => {
  let fixture: AttackFixture;
  /** 4 test digits 0..3 and labels. */
  let images: tf.Tensor4D;
  const labels = [0, 1, 2, 3];

  beforeAll(async () => {
    // wasm, as the attack tests: the fixture trains a small-cnn, far slower on the cpu backend.
    await useBackend('wasm');
    fixture = attackFixture();
    images = tf.tidy(() => tf.slice(fixture.images, 0, 4));
  });

  afterAll(() => {
    images.dispose();
    fixture.dispose();
  });

  it('generates from class-conditional seeds: the target probability rises, within ε', () => {
    const digits = mnistDigits(10, 200);
    const fit = fitClassGaussians(digits.images, digits.labels, 10, { factor: 4, ridge: 1e-4 });
    const classes = [2, 5, 7, 9];
    const seeds = sampleSeeds(fit, classes, 3);
    const defaults = featuresDefaults([28, 28, 1]).generation;
    expect(defaults.epsilon).toBeCloseTo(40 * Math.sqrt(784 / 150528), 1);
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    const reported: number[] = [];
    const frames: number[][] = [];
    const outcome = generateClass(fixture.model, seeds, classes, defaults, {
      beforeStep: () => counts.push(tf.memory().numTensors),
      onStep: (_t, value) => reported.push(value),
      onFrame: (t, frame) => frames.push([t, ...frame.shape]),
    });
    expect(new Set(counts).size).toBe(1);
    expect(outcome.lossPerStep).toHaveLength(61);
    expect(reported).toEqual(outcome.lossPerStep.slice(1));
    expect(frames).toEqual(Array.from({ length: 60 }, (_, t) => [t, 4, 28, 28, 1]));
    const { first, last } = probabilityRise(outcome);
    expect(last).toBeGreaterThan(first + 0.3);
    // At the default settings every seed ends up classified as its target.
    expect(outcome.predictionsPerStep.at(-1)?.[0]?.predictedClass).toEqual(classes);
    expect((outcome.lossPerStep.at(-1) ?? NaN) < (outcome.lossPerStep[0] ?? NaN)).toBe(true);
    for (const d of l2Distances(outcome.images, seeds)) {
      expect(d).toBeLessThanOrEqual(defaults.epsilon + 1e-4);
    }
    const pixels = outcome.images.dataSync();
    expect(Math.min(...pixels)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...pixels)).toBeLessThanOrEqual(1);
    outcome.images.dispose();
    expect(tf.memory().numTensors).toBe(before);
    seeds.dispose();
  });

  it('super-resolves a 4× downsampled digit within ε of its nearest-neighbour upsampling', () => {
    const defaults = featuresDefaults([28, 28, 1]).superResolution;
    expect(defaults.factor).toBe(4);
    const low = downsampleBlocks(images, 4);
    expect(low.shape).toEqual([4, 7, 7, 1]);
    // The block mean of a block-constant image is the image: down(up(x)) = x.
    const roundTrip = tf.tidy(() => downsampleBlocks(upsampleBlocks(low, 4), 4));
    expect(Math.max(...l2Distances(roundTrip, low))).toBeLessThan(1e-6);
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    const outcome = superResolve(
      fixture.model,
      low,
      labels,
      { ...defaults, steps: 15 },
      { beforeStep: () => counts.push(tf.memory().numTensors) },
    );
    expect(new Set(counts).size).toBe(1);
    const expected = upsampleBlocks(low, 4);
    expect(Array.from(outcome.upsampled.dataSync())).toEqual(Array.from(expected.dataSync()));
    expected.dispose();
    const distances = l2Distances(outcome.images, outcome.upsampled);
    for (const d of distances) expect(d).toBeLessThanOrEqual(defaults.epsilon + 1e-4);
    // It did move: the ball is small, so most examples end on its surface.
    expect(Math.max(...distances)).toBeGreaterThan(0.5 * defaults.epsilon);
    const { first, last } = probabilityRise(outcome);
    expect(last).toBeGreaterThan(first);
    tf.dispose([outcome.images, outcome.upsampled]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([low, roundTrip]);
  });

  it('in-paints only the masked region: every pixel outside it is bit-identical', () => {
    // A 12×12 square in the middle of every digit, the class is the digit's own label.
    const maskValues = new Float32Array(4 * 28 * 28);
    for (let n = 0; n < 4; n++)
      for (let y = 8; y < 20; y++)
        for (let x = 8; x < 20; x++) maskValues[n * 784 + y * 28 + x] = 1;
    const mask = tf.tensor3d(maskValues, [4, 28, 28]);
    const { stepSize } = featuresDefaults([28, 28, 1]).inpainting;
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    const outcome = inpaint(
      fixture.model,
      images,
      mask,
      labels,
      // 10× the default step, so that 30 steps (rather than 720) move the region visibly.
      { steps: 30, stepSize: 10 * stepSize, fill: { kind: 'grey' } },
      { beforeStep: () => counts.push(tf.memory().numTensors) },
    );
    expect(new Set(counts).size).toBe(1);
    const original = images.dataSync();
    const result = outcome.images.dataSync();
    const filled = outcome.filled.dataSync();
    let outsideDifferent = 0;
    let insideChanged = 0;
    for (let i = 0; i < result.length; i++) {
      if (maskValues[i] === 0) {
        if (!Object.is(result[i], original[i]) || !Object.is(filled[i], original[i]))
          outsideDifferent++;
      } else {
        expect(filled[i]).toBe(0.5);
        if (result[i] !== 0.5) insideChanged++;
      }
    }
    expect(outsideDifferent).toBe(0);
    expect(insideChanged).toBeGreaterThan(100);
    const { first, last } = probabilityRise(outcome);
    expect(last).toBeGreaterThan(first);
    tf.dispose([outcome.images, outcome.filled]);
    expect(tf.memory().numTensors).toBe(before);
    mask.dispose();
  });

  it('fills the region with the image mean, seeded noise or given images', () => {
    // Mask = the left half of image 0 and nothing of image 1.
    const maskValues = new Float32Array(2 * 28 * 28);
    for (let y = 0; y < 28; y++) for (let x = 0; x < 14; x++) maskValues[y * 28 + x] = 1;
    const mask = tf.tensor3d(maskValues, [2, 28, 28]);
    const two = tf.tidy(() => tf.slice(images, 0, 2));
    const run = (fill: Parameters<typeof inpaint>[4]['fill']): Float32Array => {
      const outcome = inpaint(fixture.model, two, mask, [0, 1], { steps: 1, stepSize: 1e-6, fill });
      const values = outcome.filled.dataSync() as Float32Array;
      tf.dispose([outcome.images, outcome.filled]);
      return values;
    };
    const pixels = two.dataSync();
    let rightSum = 0;
    for (let y = 0; y < 28; y++) for (let x = 14; x < 28; x++) rightSum += pixels[y * 28 + x] ?? 0;
    const imageMean = run({ kind: 'image-mean' });
    expect(imageMean[0]).toBeCloseTo(rightSum / (28 * 14), 5);
    expect(imageMean.slice(784)).toEqual(pixels.slice(784)); // nothing masked in image 1
    const noise = run({ kind: 'noise', seed: 4 });
    expect(run({ kind: 'noise', seed: 4 })).toEqual(noise);
    expect(noise[0]).not.toBe(noise[1]);
    const given = tf.fill([2, 28, 28, 1], 0.25) as tf.Tensor4D;
    expect(run({ kind: 'images', images: given })[0]).toBe(0.25);
    tf.dispose([mask, two, given]);
  });

  it('stops at the cancel check without leaking', () => {
    const before = tf.memory().numTensors;
    const reported: number[] = [];
    expect(() =>
      generateClass(
        fixture.model,
        images,
        labels,
        { epsilon: 2, steps: 10, stepSize: 0.1 },
        {
          beforeStep: (t) => {
            if (t === 2) throw new Error('cancelled');
          },
          onStep: (t) => reported.push(t),
        },
      ),
    ).toThrow('cancelled');
    expect(reported).toEqual([0, 1]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses bad masks, factors and classes with clear messages', () => {
    const model = fixture.model;
    const options = { steps: 1, stepSize: 0.1, fill: { kind: 'grey' as const } };
    const small = tf.zeros([4, 14, 28]) as tf.Tensor3D;
    expect(() => inpaint(model, images, small, labels, options)).toThrow(
      /the mask is \[4, 14, 28\] but the images need \[4, 28, 28\] \(1 = fill\)/,
    );
    const twos = tf.fill([4, 28, 28], 2) as tf.Tensor3D;
    expect(() => inpaint(model, images, twos, labels, options)).toThrow(
      /mask values must be 0 or 1, found 2/,
    );
    const zeros = tf.zeros([4, 28, 28]) as tf.Tensor3D;
    const wrongFill = tf.zeros([1, 28, 28, 1]) as tf.Tensor4D;
    expect(() =>
      inpaint(model, images, zeros, labels, {
        ...options,
        fill: { kind: 'images', images: wrongFill },
      }),
    ).toThrow(/fill images are \[1, 28, 28, 1\] but the images are \[4, 28, 28, 1\]/);
    expect(() => inpaint(model, images, zeros, [0, 1, 2, 10], options)).toThrow(
      /target class 10 \(image 3\) is out of range for a model with 10 classes/,
    );
    const nine = tf.zeros([1, 9, 9, 1]) as tf.Tensor4D;
    const settings = { epsilon: 1, steps: 1, stepSize: 0.1 };
    expect(() => superResolve(model, nine, [0], settings)).toThrow(
      /the super-resolution factor must be a whole number ≥ 1, got 3\.11/,
    );
    expect(() => superResolve(model, nine, [0], { ...settings, factor: 3 })).toThrow(
      /the super-resolution factor 3 does not divide the image size 28×28/,
    );
    const seven = tf.zeros([1, 7, 7, 1]) as tf.Tensor4D;
    expect(() => superResolve(model, seven, [0], { ...settings, factor: 2 })).toThrow(
      /low-resolution images of 7×7×1 upsampled 2× give 14×14×1, but the model takes 28×28×1/,
    );
    expect(() => downsampleBlocks(images, 5)).toThrow(
      /the downsampling factor 5 does not divide the image size 28×28/,
    );
    tf.dispose([small, twos, zeros, wrongFill, nine, seven]);
  });
});
