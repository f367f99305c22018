import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { constraintFor } from '../../../../src-main/engine/attacks/constraints/constraints';
import { l2NormPerExample } from '../../../../src-main/engine/attacks/constraints/per-example-norm';
import { runAttack } from '../../../../src-main/engine/attacks/pgd';
import { createModel } from '../../../../src-main/engine/models/create-model';
import { useBackend } from '../use-backend';

describe('the unconstrained constraint', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('projects onto [0,1] only, and steps along the L2-normalized gradient', () => {
    const unconstrained = constraintFor('unconstrained');
    const result = tf.tidy(() => {
      const x = tf.fill([2, 2, 2, 1], 0.5) as tf.Tensor4D;
      const far = tf.tensor4d([-3, 0.1, 0.9, 7, 0.2, 0.3, 0.4, 0.6], [2, 2, 2, 1]);
      const projected = unconstrained.project(x, far, 0.01);
      const gradient = tf.tensor4d([3, 0, 4, 0, 0, 0, 0, 1e-3], [2, 2, 2, 1]);
      const stepped = unconstrained.step(x, gradient, 2);
      return {
        projected: Array.from(projected.dataSync()),
        step: Array.from(tf.sub(stepped, x).dataSync()),
        directionNorms: Array.from(l2NormPerExample(unconstrained.direction(gradient)).dataSync()),
      };
    });
    // Far outside any ε-ball of x, but clipped to the box.
    expect(result.projected.map((v) => Number(v.toFixed(5)))).toEqual([
      0, 0.1, 0.9, 1, 0.2, 0.3, 0.4, 0.6,
    ]);
    expect(result.step[0]).toBeCloseTo(1.2, 5);
    expect(result.step[2]).toBeCloseTo(1.6, 5);
    expect(result.step[7]).toBeCloseTo(2, 5);
    result.directionNorms.forEach((n) => expect(n).toBeCloseTo(1, 5));
  });

  it('lets PGD move further than ε, staying in [0,1]', () => {
    const model = createModel(
      { architecture: 'small-cnn', inputShape: [28, 28, 1], numClasses: 10 },
      1,
    );
    const images = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 4) as tf.Tensor4D;
    const labels = tf.tensor1d([0, 1], 'int32');
    const outcome = runAttack(model, images, labels, {
      constraint: 'unconstrained',
      epsilon: 0.01,
      steps: 5,
      stepSize: 2,
      randomStart: false,
      restarts: 1,
      targetClass: null,
      seed: 0,
    });
    const geometry = tf.tidy(() => ({
      moved: Array.from(
        l2NormPerExample(tf.sub(outcome.adversarial, images) as tf.Tensor4D).dataSync(),
      ),
      min: tf.min(outcome.adversarial).dataSync()[0] ?? NaN,
      max: tf.max(outcome.adversarial).dataSync()[0] ?? NaN,
    }));
    expect(Math.min(...geometry.moved)).toBeGreaterThan(1);
    expect(geometry.min).toBeGreaterThanOrEqual(0);
    expect(geometry.max).toBeLessThanOrEqual(1);
    tf.dispose([outcome.adversarial, outcome.loss, images, labels]);
    model.dispose();
  });
});
