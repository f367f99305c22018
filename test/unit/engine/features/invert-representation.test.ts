/**
 * Representation inversion: the loss goes down on a random network, one step matches the
 * formula worked by hand, the pixel box holds, the cancel check stops it, and no tensor leaks.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { invertRepresentation } from '../../../../src-main/engine/features/invert-representation';
import { createModel } from '../../../../src-main/engine/models/create-model';
import type { Model } from '../../../../src-main/engine/models/model-types';
import { useBackend } from '../use-backend';
import { identityModel } from './identity-model';

/** A random small-cnn on 8×8×3, a start batch and the representations of other images. */
function randomCase(n: number): { model: Model; start: tf.Tensor4D; target: tf.Tensor2D } {
  const model = createModel(
    { architecture: 'small-cnn', inputShape: [8, 8, 3], numClasses: 4 },
    21,
  );
  const start = tf.randomUniform([n, 8, 8, 3], 0, 1, 'float32', 22) as tf.Tensor4D;
  const target = tf.tidy(
    () =>
      model.forward(tf.randomUniform([n, 8, 8, 3], 0, 1, 'float32', 23) as tf.Tensor4D)
        .representation,
  );
  return { model, start, target };
}

describe('invertRepresentation', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('lowers the loss on a random network and leaks no tensors', () => {
    const { model, start, target } = randomCase(3);
    const before = tf.memory().numTensors;
    const perStep: number[] = [];
    const outcome = invertRepresentation(
      model,
      start,
      target,
      { steps: 30, stepSize: 0.1 },
      { beforeStep: () => perStep.push(tf.memory().numTensors) },
    );
    const { lossPerStep } = outcome;
    expect(lossPerStep).toHaveLength(31);
    // Every step holds the same number of tensors (the swapped point only).
    expect(new Set(perStep).size).toBe(1);
    expect(lossPerStep.every(Number.isFinite)).toBe(true);
    const first = lossPerStep[0] ?? NaN;
    const last = lossPerStep.at(-1) ?? NaN;
    expect(last).toBeLessThan(0.5 * first);
    // The returned per-example loss is the one the curve ends with.
    const final = Array.from(outcome.loss.dataSync());
    expect(final.reduce((a, b) => a + b, 0) / final.length).toBeCloseTo(last, 5);
    tf.dispose([outcome.images, outcome.loss]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([start, target]);
    model.dispose();
  });

  it('takes exactly the hand-computed step, per example normalized and clamped', () => {
    const model = identityModel(2);
    // r(x) = x; d = x − r_t; the step is −α·d/‖d‖ whatever ‖r_t‖ is.
    //   n=0: x⁰ (0.2, 0.9), r_t (0.6, 0.6): d (−0.4, 0.3), ‖d‖ 0.5 → x¹ = (0.28, 0.84)
    //   n=1: x⁰ (0, 0),     r_t (3, 4):     d (−3, −4),   ‖d‖ 5   → x¹ = (0.06, 0.08)
    //   n=2: x⁰ (0.98, 0.5), r_t (2, 0.5): d (−1.02, 0)          → x¹ = clip(1.08, 0.5) = (1, 0.5)
    const start = tf.tensor4d([0.2, 0.9, 0, 0, 0.98, 0.5], [3, 2, 1, 1]);
    const target = tf.tensor2d([0.6, 0.6, 3, 4, 2, 0.5], [3, 2]);
    const outcome = invertRepresentation(model, start, target, { steps: 1, stepSize: 0.1 });
    const images = Array.from(outcome.images.dataSync());
    [0.28, 0.84, 0.06, 0.08, 1, 0.5].forEach((value, i) => expect(images[i]).toBeCloseTo(value, 6));
    // L = ‖d‖ / ‖r_t‖: before 0.5/0.8485, 5/5, 1.02/2.0616; after 0.4/0.8485, 4.9/5, 1/2.0616
    // (n=2 was clamped at 1, so its distance shrank by 0.02, not by the full step 0.1).
    const scale = [Math.hypot(0.6, 0.6), 5, Math.hypot(2, 0.5)];
    const lossBefore = [0.5, 5, 1.02].map((d, n) => d / (scale[n] ?? NaN));
    const lossAfter = [0.4, 4.9, 1].map((d, n) => d / (scale[n] ?? NaN));
    const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
    expect(outcome.lossPerStep[0]).toBeCloseTo(mean(lossBefore), 6);
    expect(outcome.lossPerStep[1]).toBeCloseTo(mean(lossAfter), 6);
    const final = Array.from(outcome.loss.dataSync());
    lossAfter.forEach((value, n) => expect(final[n]).toBeCloseTo(value, 6));
    tf.dispose([outcome.images, outcome.loss, start, target]);
    model.dispose();
  });

  it('keeps every pixel in [0,1], even with steps far larger than the box', () => {
    const { model, start, target } = randomCase(2);
    const outcome = invertRepresentation(model, start, target, { steps: 5, stepSize: 20 });
    const pixels = outcome.images.dataSync();
    expect(Math.min(...pixels)).toBe(0);
    expect(Math.max(...pixels)).toBe(1);
    tf.dispose([outcome.images, outcome.loss, start, target]);
    model.dispose();
  });

  it('stays put and finite at a zero gradient and a zero target', () => {
    const model = identityModel(2);
    const start = tf.tensor4d([0.3, 0.7, 0.5, 0.5], [2, 2, 1, 1]);
    // n=0 already has its target (d = 0, gradient 0); n=1 has the all-zero target (s = 1e-12).
    const target = tf.tensor2d([0.3, 0.7, 0, 0], [2, 2]);
    const outcome = invertRepresentation(model, start, target, { steps: 2, stepSize: 0.1 });
    const images = Array.from(outcome.images.dataSync());
    expect(images[0]).toBeCloseTo(0.3, 6);
    expect(images[1]).toBeCloseTo(0.7, 6);
    // n=1 walks straight towards 0: ‖x‖ = 0.7071 − 2·0.1.
    expect(Math.hypot(images[2] ?? NaN, images[3] ?? NaN)).toBeCloseTo(Math.SQRT1_2 - 0.2, 5);
    const final = Array.from(outcome.loss.dataSync());
    expect(final[0]).toBe(0);
    expect(Number.isFinite(final[1])).toBe(true);
    tf.dispose([outcome.images, outcome.loss, start, target]);
    model.dispose();
  });

  it('stops at the cancel check without leaking, having reported the steps before it', () => {
    const { model, start, target } = randomCase(2);
    const before = tf.memory().numTensors;
    const reported: number[] = [];
    expect(() =>
      invertRepresentation(
        model,
        start,
        target,
        { steps: 50, stepSize: 0.1 },
        {
          beforeStep: (step) => {
            if (step === 3) throw new Error('cancelled');
          },
          onStep: (step) => reported.push(step),
        },
      ),
    ).toThrow('cancelled');
    expect(reported).toEqual([0, 1, 2]);
    expect(tf.memory().numTensors).toBe(before);
    // Cancelled at the final read-out (t = T) too.
    expect(() =>
      invertRepresentation(
        model,
        start,
        target,
        { steps: 2, stepSize: 0.1 },
        {
          onStep: (step) => {
            if (step === 2) throw new Error('cancelled at the end');
          },
        },
      ),
    ).toThrow('cancelled at the end');
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([start, target]);
    model.dispose();
  });

  it('refuses bad options and mismatched shapes with clear messages', () => {
    const { model, start, target } = randomCase(2);
    const run =
      (options: { steps: number; stepSize: number }, t = target, s = start) =>
      () =>
        invertRepresentation(model, s, t, options);
    expect(run({ steps: 0, stepSize: 0.1 })).toThrow(/steps must be a whole number ≥ 1/);
    expect(run({ steps: 1, stepSize: NaN })).toThrow(/step size must be a finite number/);
    const short = tf.zeros([2, 5]) as tf.Tensor2D;
    expect(run({ steps: 1, stepSize: 0.1 }, short)).toThrow(
      /target representations have 5 features but the model's representation has 128/,
    );
    const few = tf.zeros([1, 128]) as tf.Tensor2D;
    expect(run({ steps: 1, stepSize: 0.1 }, few)).toThrow(/2 start images need target/);
    const small = tf.zeros([2, 4, 4, 3]) as tf.Tensor4D;
    expect(run({ steps: 1, stepSize: 0.1 }, target, small)).toThrow(
      /images are 4×4×3 but the model takes 8×8×3/,
    );
    tf.dispose([short, few, small, start, target]);
    model.dispose();
  });
});
