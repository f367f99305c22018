import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linfNormPerExample } from '../../../../src-main/engine/attacks/constraints/per-example-norm';
import { klDivergencePerExample } from '../../../../src-main/engine/training/kl-divergence';
import { tradesExamples, tradesObjective } from '../../../../src-main/engine/training/trades';
import { attackFixture, type AttackFixture } from '../attacks/attack-model';
import { useBackend } from '../use-backend';

const value = (t: tf.Tensor): number => t.dataSync()[0] ?? NaN;

describe('TRADES', () => {
  let fixture: AttackFixture;

  beforeAll(async () => {
    await useBackend('wasm');
    fixture = attackFixture();
  });
  afterAll(() => {
    fixture.model.dispose();
    tf.dispose([fixture.images, fixture.labels]);
  });

  it('KL of softmax distributions on a hand case, and its gradient q − p', () => {
    // p = softmax(0, 0) = (½, ½); q = softmax(ln 3, 0) = (¾, ¼).
    // KL(p ‖ q) = ½ ln(½/¾) + ½ ln(½/¼) = ½ ln(4/3).
    const p = tf.tensor2d([
      [0, 0],
      [1, 2],
    ]);
    const q = tf.tensor2d([
      [Math.log(3), 0],
      [1, 2],
    ]);
    const kl = klDivergencePerExample(p, q);
    expect(kl.dataSync()[0]).toBeCloseTo(0.5 * Math.log(4 / 3), 6);
    expect(kl.dataSync()[1]).toBeCloseTo(0, 6); // KL(p ‖ p) = 0
    // ∂KL/∂z_q = softmax(z_q) − p = (¾ − ½, ¼ − ½).
    const gradient = tf.grad((z: tf.Tensor) => tf.sum(klDivergencePerExample(p, z as tf.Tensor2D)))(
      q,
    );
    expect(
      Array.from(gradient.dataSync())
        .slice(0, 2)
        .map((v) => Number(v.toFixed(6))),
    ).toEqual([0.25, -0.25]);
    // ∂KL/∂z_p = p ⊙ ((log p − log q) − KL): for p = (½, ½), log p − log q = (ln ⅔, ln 2).
    const klValue = 0.5 * Math.log(4 / 3);
    const gradientP = tf.grad((z: tf.Tensor) =>
      tf.sum(klDivergencePerExample(z as tf.Tensor2D, q)),
    )(p);
    const expected = [0.5 * (Math.log(2 / 3) - klValue), 0.5 * (Math.log(2) - klValue)];
    Array.from(gradientP.dataSync())
      .slice(0, 2)
      .forEach((v, i) => expect(v).toBeCloseTo(expected[i] ?? NaN, 6));
    // And numerically, on random logits.
    const a = tf.randomNormal([3, 5], 0, 1, 'float32', 1) as tf.Tensor2D;
    const b = tf.randomNormal([3, 5], 0, 1, 'float32', 2) as tf.Tensor2D;
    const f = (x: tf.Tensor2D) =>
      tf.tidy(() => tf.sum(klDivergencePerExample(x, b)).dataSync()[0] ?? NaN);
    const analytic = tf.grad((z: tf.Tensor) => tf.sum(klDivergencePerExample(z as tf.Tensor2D, b)))(
      a,
    );
    const h = 1e-2;
    for (const index of [0, 7, 14]) {
      const bump = (sign: number) =>
        tf.tidy(
          () =>
            tf.add(a, tf.mul(tf.reshape(tf.oneHot([index], 15), [3, 5]), sign * h)) as tf.Tensor2D,
        );
      const plus = bump(1);
      const minus = bump(-1);
      const numeric = (f(plus) - f(minus)) / (2 * h);
      expect(analytic.dataSync()[index] ?? NaN).toBeCloseTo(numeric, 3);
      tf.dispose([plus, minus]);
    }
    tf.dispose([p, q, kl, gradient, gradientP, a, b, analytic]);
  });

  it('loss = CE(f(x), y) + β · KL on a hand case', () => {
    const clean = tf.tensor2d([[0, 0]]);
    const adversarial = tf.tensor2d([[Math.log(3), 0]]);
    const labels = tf.tensor1d([0], 'int32');
    const parts = tradesObjective(clean, adversarial, labels, 6);
    expect(value(parts.crossEntropy)).toBeCloseTo(Math.log(2), 6);
    expect(value(parts.kl)).toBeCloseTo(0.5 * Math.log(4 / 3), 6);
    expect(value(parts.total)).toBeCloseTo(Math.log(2) + 3 * Math.log(4 / 3), 5);
    tf.dispose([clean, adversarial, labels, parts.total, parts.crossEntropy, parts.kl]);
  });

  it('finds x′ inside the ε-ball and [0,1] that raises the KL, reproducibly, without leaks', () => {
    const { model, images } = fixture;
    const attack = { constraint: 'linf', epsilon: 0.1, steps: 5, stepSize: 0.03, seed: 3 } as const;
    const klAt = (point: tf.Tensor4D): number =>
      tf.tidy(() =>
        value(
          tf.mean(
            klDivergencePerExample(model.forward(images).logits, model.forward(point).logits),
          ),
        ),
      );
    const before = tf.memory().numTensors;
    let steps = 0;
    const adversarial = tradesExamples(model, images, attack, () => steps++);
    expect(steps).toBe(5);
    expect(tf.memory().numTensors).toBe(before + 1);
    const again = tradesExamples(model, images, attack);
    const distance = tf.tidy(() =>
      value(tf.max(linfNormPerExample(tf.sub(adversarial, images) as tf.Tensor4D))),
    );
    expect(distance).toBeLessThanOrEqual(0.1 + 1e-6);
    expect(distance).toBeGreaterThan(0.05);
    expect(tf.tidy(() => value(tf.min(adversarial)))).toBeGreaterThanOrEqual(0);
    expect(tf.tidy(() => value(tf.max(adversarial)))).toBeLessThanOrEqual(1);
    expect(Array.from(again.dataSync())).toEqual(Array.from(adversarial.dataSync()));
    // From a 0.001-scale start, where KL ≈ 0, the search finds a clearly different prediction.
    expect(klAt(adversarial)).toBeGreaterThan(0.05);
    const l2 = tradesExamples(model, images, {
      ...attack,
      constraint: 'l2',
      epsilon: 1,
      stepSize: 0.3,
    });
    const l2Distance = tf.tidy(() =>
      value(
        tf.max(
          tf.sqrt(tf.sum(tf.square(tf.reshape(tf.sub(l2, images), [images.shape[0], -1])), 1)),
        ),
      ),
    );
    expect(l2Distance).toBeLessThanOrEqual(1 + 1e-4);
    expect(klAt(l2)).toBeGreaterThan(0.01);
    tf.dispose([adversarial, again, l2]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
