/**
 * Interpolation through representation space: with r(x) = x it is the pixel blend exactly; on a
 * random network the end frames are the inputs, the middle frames get closer to their
 * interpolated representations, the hooks see the whole strip, and nothing leaks.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { interpolateRepresentations } from '../../../../src-main/engine/features/interpolate';
import { createModel } from '../../../../src-main/engine/models/create-model';
import { useBackend } from '../use-backend';
import { identityModel } from './identity-model';

describe('interpolateRepresentations', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('is the pixel blend when the representation is the image', () => {
    const model = identityModel(3);
    // Two pairs; pair 0 from (0, 0.2, 1) to (1, 0.6, 0), pair 1 from (0.5, 0.5, 0.5) to itself.
    const from = tf.tensor4d([0, 0.2, 1, 0.5, 0.5, 0.5], [2, 3, 1, 1]);
    const to = tf.tensor4d([1, 0.6, 0, 0.5, 0.5, 0.5], [2, 3, 1, 1]);
    const outcome = interpolateRepresentations(model, from, to, {
      frames: 5,
      steps: 3,
      stepSize: 0.1,
    });
    expect(outcome.alphas).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(outcome.frames.shape).toEqual([10, 3, 1, 1]);
    const frames = outcome.frames.arraySync().map((image) => image.flat(2));
    outcome.alphas.forEach((alpha, k) => {
      const expected = [0, 0.2, 1].map((a, i) => (1 - alpha) * a + alpha * ([1, 0.6, 0][i] ?? NaN));
      frames[k]?.forEach((value, i) => expect(value).toBeCloseTo(expected[i] ?? NaN, 6));
      frames[5 + k]?.forEach((value) => expect(value).toBeCloseTo(0.5, 6));
    });
    expect(outcome.distance.every((d) => d === 0)).toBe(true);
    expect(outcome.startDistance.every((d) => d === 0)).toBe(true);
    tf.dispose([outcome.frames, from, to]);
    model.dispose();
  });

  it('brings the middle frames to their interpolated representations on a random network', () => {
    const model = createModel(
      { architecture: 'small-cnn', inputShape: [8, 8, 3], numClasses: 4 },
      5,
    );
    const from = tf.randomUniform([1, 8, 8, 3], 0, 1, 'float32', 6) as tf.Tensor4D;
    const to = tf.randomUniform([1, 8, 8, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    const checked: number[] = [];
    const reported: number[] = [];
    const frameShapes: number[][] = [];
    const steps = 25;
    const outcome = interpolateRepresentations(
      model,
      from,
      to,
      { frames: 4, steps, stepSize: 0.1 },
      {
        beforeStep: (t) => {
          checked.push(t);
          counts.push(tf.memory().numTensors);
        },
        onStep: (t) => reported.push(t),
        onFrame: (_t, images) => frameShapes.push(images.shape),
      },
    );
    const every = Array.from({ length: steps }, (_, t) => t);
    expect(checked).toEqual(every);
    expect(reported).toEqual(every);
    expect(new Set(counts).size).toBe(1);
    expect(frameShapes).toEqual(every.map(() => [4, 8, 8, 3]));
    expect(outcome.lossPerStep).toHaveLength(steps + 1);
    // The ends are the inputs: their start already has its target representation.
    const frames = outcome.frames.dataSync();
    const [a, b] = [from.dataSync(), to.dataSync()];
    const size = 8 * 8 * 3;
    for (let i = 0; i < size; i++) {
      expect(frames[i]).toBeCloseTo(a[i] ?? NaN, 5);
      expect(frames[3 * size + i]).toBeCloseTo(b[i] ?? NaN, 5);
    }
    expect(outcome.distance[0]).toBeLessThan(1e-5);
    expect(outcome.distance[3]).toBeLessThan(1e-5);
    // The middle frames start off their targets (a pixel blend is not a representation blend)
    // and the inversion brings them closer.
    for (const k of [1, 2]) {
      expect(outcome.startDistance[k]).toBeGreaterThan(0.01);
      expect(outcome.distance[k] ?? NaN).toBeLessThan(0.5 * (outcome.startDistance[k] ?? NaN));
    }
    outcome.frames.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([from, to]);
    model.dispose();
  });

  it('stops at the cancel check without leaking', () => {
    const model = identityModel(3);
    const from = tf.zeros([1, 3, 1, 1]) as tf.Tensor4D;
    const to = tf.ones([1, 3, 1, 1]) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    expect(() =>
      interpolateRepresentations(
        model,
        from,
        to,
        { frames: 3, steps: 5, stepSize: 0.1 },
        {
          beforeStep: (t) => {
            if (t === 1) throw new Error('cancelled');
          },
        },
      ),
    ).toThrow('cancelled');
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([from, to]);
    model.dispose();
  });

  it('refuses bad frame counts and mismatched images with clear messages', () => {
    const model = identityModel(3);
    const from = tf.zeros([2, 3, 1, 1]) as tf.Tensor4D;
    const one = tf.zeros([1, 3, 1, 1]) as tf.Tensor4D;
    const wide = tf.zeros([2, 1, 3, 1]) as tf.Tensor4D;
    const options = { frames: 3, steps: 1, stepSize: 0.1 };
    expect(() => interpolateRepresentations(model, from, from, { ...options, frames: 1 })).toThrow(
      /a whole number ≥ 2 of frames, got 1/,
    );
    expect(() => interpolateRepresentations(model, from, from, { ...options, steps: 0 })).toThrow(
      /steps must be a whole number ≥ 1/,
    );
    expect(() => interpolateRepresentations(model, from, one, options)).toThrow(
      /2 first images but 1 second images/,
    );
    expect(() => interpolateRepresentations(model, from, wide, options)).toThrow(
      /the second images are 1×3×1 but the model takes 3×1×1/,
    );
    tf.dispose([from, one, wide]);
    model.dispose();
  });
});
