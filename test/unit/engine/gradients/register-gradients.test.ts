import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { crossEntropyPerExample } from '../../../../src-main/engine/attacks/per-example-loss';
import { createModel } from '../../../../src-main/engine/models/create-model';
import { useBackend } from '../use-backend';

/**
 * The engine's own gradient registrations against finite differences: for the training loss
 * f(x, θ) = mean CE(model(x), y), the directional derivative along a random v,
 *   (f(x + h·v) − f(x − h·v)) / 2h  ≈  ⟨∇f, v⟩  (‖v‖ = 1),
 * for the input and for every weight (conv, bias add with broadcasting, maxpool, matMul, relu).
 */
describe('engine gradients', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('match central differences for input and weights', () => {
    const model = createModel(
      { architecture: 'small-cnn', inputShape: [8, 8, 2], numClasses: 3 },
      11,
    );
    const x = tf.randomUniform([4, 8, 8, 2], 0, 1, 'float32', 1) as tf.Tensor4D;
    const y = tf.tensor1d([0, 1, 2, 1], 'int32');
    const variables = model.parameters.map((p) => p.variable);
    const loss = (): tf.Scalar => tf.mean(crossEntropyPerExample(model.forward(x).logits, y));

    const { grads } = tf.variableGrads(loss, variables);
    const inputGrad = tf.grad((input: tf.Tensor) =>
      tf.mean(crossEntropyPerExample(model.forward(input as tf.Tensor4D).logits, y)),
    )(x);

    const h = 1e-3;
    const directional = (
      target: tf.Variable | null,
      gradient: tf.Tensor,
      seed: number,
    ): [number, number] => {
      // A unit direction, so the step h·v is small enough not to cross ReLU/maxpool kinks.
      const v = tf.tidy(() => {
        const raw = tf.randomNormal(gradient.shape, 0, 1, 'float32', seed);
        return tf.div(raw, tf.norm(raw));
      });
      const analytic = tf.sum(tf.mul(gradient, v)).dataSync()[0] ?? NaN;
      const at = (sign: number): number =>
        tf.tidy(() => {
          if (target === null) {
            const shifted = tf.add(x, tf.mul(v, sign * h)) as tf.Tensor4D;
            return (
              tf.mean(crossEntropyPerExample(model.forward(shifted).logits, y)).dataSync()[0] ?? NaN
            );
          }
          const original = target.clone();
          target.assign(tf.add(original, tf.mul(v, sign * h)));
          const value = loss().dataSync()[0] ?? NaN;
          target.assign(original);
          return value;
        });
      const numeric = (at(1) - at(-1)) / (2 * h);
      v.dispose();
      return [analytic, numeric];
    };

    const checks: [string, tf.Variable | null, tf.Tensor][] = [
      ['input', null, inputGrad],
      ...model.parameters.map((p): [string, tf.Variable, tf.Tensor] => [
        p.name,
        p.variable,
        grads[p.variable.name] as tf.Tensor,
      ]),
    ];
    checks.forEach(([name, target, gradient], i) => {
      const [analytic, numeric] = directional(target, gradient, 100 + i);
      expect(Math.abs(analytic - numeric), name).toBeLessThan(
        1e-2 * Math.max(0.1, Math.abs(numeric)),
      );
    });
    tf.dispose([x, y, inputGrad, ...Object.values(grads)]);
    model.dispose();
  });
});
