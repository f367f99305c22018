/**
 * The built-in cifar-cnn: registered under its contract name, the layer sizes of issue 3's CIFAR
 * CNN (the parameter count of bench/torch_reference.py's CifarCnn), documented output shapes, any
 * input shape of at least 4×4.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ArchitectureName } from '../../../../src-main/common/model-schemas';
import { architectures } from '../../../../src-main/engine/models/architecture-registry';
import { createModel } from '../../../../src-main/engine/models/create-model';
import { parameterCount } from '../../../../src-main/engine/models/model-weights';
import type { ModelSpec } from '../../../../src-main/engine/engine-types';
import { useBackend } from '../use-backend';

const cifar: ModelSpec = { architecture: 'cifar-cnn', inputShape: [32, 32, 3], numClasses: 10 };

describe('cifar-cnn', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('is in the contract and in the built-in registry, as is every contract name', () => {
    expect(ArchitectureName.options).toContain('cifar-cnn');
    expect(architectures.names().sort()).toEqual([...ArchitectureName.options].sort());
  });

  it('has the layer sizes of the CIFAR CNN (1,116,970 parameters on 32×32×3)', () => {
    const conv = (k: number, cin: number, cout: number) => k * k * cin * cout + cout;
    expect(parameterCount(cifar)).toBe(
      conv(3, 3, 32) +
        conv(3, 32, 32) +
        conv(3, 32, 64) +
        conv(3, 64, 64) +
        conv(1, 4096, 256) +
        conv(1, 256, 10),
    );
    expect(parameterCount(cifar)).toBe(1_116_970);
    const shapes = architectures
      .get('cifar-cnn')
      .parameters(cifar)
      .map((p) => `${p.name} ${p.shape.join('×')}`);
    expect(shapes).toEqual([
      'conv1.weight 3×3×3×32',
      'conv1.bias 32',
      'conv2.weight 3×3×32×32',
      'conv2.bias 32',
      'conv3.weight 3×3×32×64',
      'conv3.bias 64',
      'conv4.weight 3×3×64×64',
      'conv4.bias 64',
      'fc1.weight 4096×256',
      'fc1.bias 256',
      'fc2.weight 256×10',
      'fc2.bias 10',
    ]);
  });

  it('gives logits [N,classes] and a non-negative 256-d representation, on any shape ≥ 4×4', () => {
    for (const inputShape of [
      [32, 32, 3],
      [28, 28, 1],
      [5, 6, 2],
    ] as [number, number, number][]) {
      const model = createModel({ ...cifar, inputShape, numClasses: 3 }, 1);
      const images = tf.randomUniform([2, ...inputShape], 0, 1, 'float32', 2) as tf.Tensor4D;
      const { logits, representation } = model.forward(images);
      expect(logits.shape).toEqual([2, 3]);
      expect(representation.shape).toEqual([2, 256]);
      expect(Math.min(...representation.dataSync())).toBeGreaterThanOrEqual(0);
      tf.dispose([images, logits, representation]);
      model.dispose();
    }
    expect(() => createModel({ ...cifar, inputShape: [3, 32, 3] }, 1)).toThrow(
      /cifar-cnn needs images of at least 4×4 pixels, got 3×32/,
    );
  });
});
