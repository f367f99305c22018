/**
 * The class-score ascent behind synthesis and counterfactual edits, on a model whose logits are
 * its pixels, so every step can be worked out by hand; and the logit read-out.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ArchitectureName } from '../../../../src-main/common/model-schemas';
import { readLogits } from '../../../../src-main/engine/features/class-predictions';
import { ascendClassScore } from '../../../../src-main/engine/features/class-score-ascent';
import { ArchitectureRegistry } from '../../../../src-main/engine/models/architecture-registry';
import { createModel } from '../../../../src-main/engine/models/create-model';
import { flatten } from '../../../../src-main/engine/models/layers';
import type { Model } from '../../../../src-main/engine/models/model-types';
import { useBackend } from '../use-backend';

/** logits = r(x) = x flattened: 2×1×1 images, 2 classes. */
function pixelLogitModel(): Model {
  const registry = new ArchitectureRegistry();
  registry.register({
    name: 'pixel-logits' as ArchitectureName,
    description: 'logits = flatten(x)',
    parameters: () => [],
    forward: (_parameters, images) => {
      const representation = flatten(images);
      return { logits: representation, representation };
    },
  });
  return createModel(
    { architecture: 'pixel-logits' as ArchitectureName, inputShape: [2, 1, 1], numClasses: 2 },
    1,
    registry,
  );
}

describe('ascendClassScore', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('takes the hand-computed normalized step, projected onto the ε-ball', () => {
    // Target 0, logits z = x: −∇ CE = (1 − p₀, −p₁) = p₁·(1, −1), unit (1, −1)/√2.
    //   x⁰ = (0.5, 0.5), α = 0.1: x' = (0.5707, 0.4293), δ = x' − x⁰ with ‖δ‖ = 0.1;
    //   ε = 0.05 halves it: x¹ = (0.5354, 0.4646).
    const model = pixelLogitModel();
    const start = tf.tensor4d([0.5, 0.5], [1, 2, 1, 1]);
    const outcome = ascendClassScore(model, start, [0], { epsilon: 0.05, steps: 1, stepSize: 0.1 });
    const [a, b] = Array.from(outcome.images.dataSync());
    const half = 0.05 / Math.SQRT2;
    expect(a).toBeCloseTo(0.5 + half, 6);
    expect(b).toBeCloseTo(0.5 - half, 6);
    // Read-out at x⁰ and x¹: CE = log(1 + e^{x₁ − x₀}), p₀ = 1/(1 + e^{x₁ − x₀}).
    const gap1 = -2 * half;
    expect(outcome.lossPerStep[0]).toBeCloseTo(Math.log(2), 6);
    expect(outcome.lossPerStep[1]).toBeCloseTo(Math.log1p(Math.exp(gap1)), 6);
    expect(outcome.predictionsPerStep).toHaveLength(2);
    expect(outcome.predictionsPerStep[1]?.[0]?.targetProbability[0]).toBeCloseTo(
      1 / (1 + Math.exp(gap1)),
      6,
    );
    expect(outcome.predictionsPerStep[1]?.[0]?.predictedClass).toEqual([0]);
    tf.dispose([outcome.images, start]);
    model.dispose();
  });

  it('moves only the masked pixels, the whole step inside the mask, and keeps the box', () => {
    // Mask = pixel 0 only: direction (p₁, 0) → unit (1, 0); ε = ∞, α = 0.3.
    //   n=0: (0.5, 0.5) → (0.8, 0.5);   n=1: (0.9, 0.2) → (1.2 → 1, 0.2)
    const model = pixelLogitModel();
    const start = tf.tensor4d([0.5, 0.5, 0.9, 0.2], [2, 2, 1, 1]);
    const mask = tf.tensor4d([true, false, true, false], [2, 2, 1, 1], 'bool');
    const outcome = ascendClassScore(
      model,
      start,
      [0, 0],
      { epsilon: Infinity, steps: 1, stepSize: 0.3 },
      {},
      { mask },
    );
    const values = Array.from(outcome.images.dataSync());
    expect(values[0]).toBeCloseTo(0.8, 6);
    expect(values[1]).toBe(start.dataSync()[1]);
    expect(values[2]).toBe(1);
    expect(values[3]).toBe(start.dataSync()[3]);
    tf.dispose([outcome.images, start, mask]);
    model.dispose();
  });

  it('reads logits as softmax probability, top-1 and an exact cross-entropy', () => {
    // Example 0: z = (1, 3, 2), target 2. Example 1: z = (0, −800, 0), target 1 (p underflows).
    const readout = readLogits([1, 3, 2, 0, -800, 0], 3, [2, 1]);
    const lse = Math.log(Math.exp(1) + Math.exp(3) + Math.exp(2));
    expect(readout.targetProbability[0]).toBeCloseTo(Math.exp(2 - lse), 12);
    expect(readout.crossEntropy[0]).toBeCloseTo(lse - 2, 12);
    expect(readout.predictedClass).toEqual([1, 0]); // ties go to the lowest class
    expect(readout.targetProbability[1]).toBe(0);
    expect(readout.crossEntropy[1]).toBeCloseTo(800 + Math.log(2), 9);
  });

  it('refuses bad settings, shapes and classes with clear messages', () => {
    const model = pixelLogitModel();
    const start = tf.tensor4d([0.5, 0.5], [1, 2, 1, 1]);
    const run =
      (options: { epsilon: number; steps: number; stepSize: number }, classes = [0]) =>
      () =>
        ascendClassScore(model, start, classes, options);
    expect(run({ epsilon: 0, steps: 1, stepSize: 0.1 })).toThrow(
      /ε must be a number greater than 0/,
    );
    expect(run({ epsilon: 1, steps: 1.5, stepSize: 0.1 })).toThrow(/steps must be a whole number/);
    expect(run({ epsilon: 1, steps: 1, stepSize: -1 })).toThrow(/step size must be a finite/);
    expect(run({ epsilon: 1, steps: 1, stepSize: 0.1 }, [2])).toThrow(
      /target class 2 \(image 0\) is out of range for a model with 2 classes/,
    );
    expect(run({ epsilon: 1, steps: 1, stepSize: 0.1 }, [0, 1])).toThrow(
      /1 images but 2 target classes/,
    );
    const wrong = tf.zeros([1, 1, 2, 1]) as tf.Tensor4D;
    expect(() =>
      ascendClassScore(model, wrong, [0], { epsilon: 1, steps: 1, stepSize: 1 }),
    ).toThrow(/images are 1×2×1 but the model takes 2×1×1/);
    const floatMask = tf.ones([1, 2, 1, 1]) as tf.Tensor4D;
    expect(() =>
      ascendClassScore(
        model,
        start,
        [0],
        { epsilon: 1, steps: 1, stepSize: 1 },
        {},
        {
          mask: floatMask,
        },
      ),
    ).toThrow(/the mask must be a bool tensor \[1, 2, 1, 1\]/);
    tf.dispose([start, wrong, floatMask]);
    model.dispose();
  });
});
