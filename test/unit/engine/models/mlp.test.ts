/** The MLP: parameter counts on MNIST and CIFAR shapes, output shapes, and that it learns. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { architectures } from '../../../../src-main/engine/models/architecture-registry';
import { createModel } from '../../../../src-main/engine/models/create-model';
import { parameterCount } from '../../../../src-main/engine/models/model-weights';
import type { ModelSpec } from '../../../../src-main/engine/engine-types';
import { trainingStep } from '../../../../src-main/engine/training/training-step';
import { mnistDigits } from '../mnist-fixture';
import { useBackend } from '../use-backend';

const mnist: ModelSpec = { architecture: 'mlp', inputShape: [28, 28, 1], numClasses: 10 };

describe('mlp', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('has 784→256→256→10 (269,322) on MNIST and 3072→256→256→10 (855,050) on CIFAR', () => {
    const dense = (input: number, output: number) => input * output + output;
    expect(parameterCount(mnist)).toBe(dense(784, 256) + dense(256, 256) + dense(256, 10));
    expect(parameterCount(mnist)).toBe(269_322);
    expect(parameterCount({ ...mnist, inputShape: [32, 32, 3] })).toBe(855_050);
    expect(
      architectures
        .get('mlp')
        .parameters(mnist)
        .map((p) => `${p.name} ${p.shape.join('×')}`),
    ).toEqual([
      'fc1.weight 784×256',
      'fc1.bias 256',
      'fc2.weight 256×256',
      'fc2.bias 256',
      'fc3.weight 256×10',
      'fc3.bias 10',
    ]);
  });

  it('gives logits and a non-negative 256-d representation, and learns MNIST digits', () => {
    const model = createModel(mnist, 2);
    const digits = mnistDigits(10);
    const images = tf.tensor4d(digits.images.data, digits.images.shape);
    const labels = tf.tensor1d(digits.labels, 'int32');
    tf.tidy(() => {
      const { logits, representation } = model.forward(images);
      expect(logits.shape).toEqual([100, 10]);
      expect(representation.shape).toEqual([100, 256]);
      expect(Math.min(...representation.dataSync())).toBeGreaterThanOrEqual(0);
    });
    const optimizer = tf.train.adam(1e-3);
    const losses: number[] = [];
    for (let i = 0; i < 10; i++) losses.push(trainingStep(model, optimizer, images, labels).loss);
    expect(losses.at(-1) ?? Infinity).toBeLessThan((losses[0] ?? 0) * 0.3);
    optimizer.dispose();
    tf.dispose([images, labels]);
    model.dispose();
  });
});
