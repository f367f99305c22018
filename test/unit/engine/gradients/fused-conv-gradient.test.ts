import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { registerNativeKernels } from '../../../../src-main/engine/kernels/native/register-native-kernels';
import { convRelu } from '../../../../src-main/engine/models/layers';
import { randomValues, size } from '../kernels/kernel-test-data';
import { maxRelativeError, useBackend } from '../use-backend';
import { readEnvironmentSettings } from '../../../../src-main/common/environment-settings';

/**
 * The models' convolution + ReLU is one FusedConv2D kernel with the engine's own gradient
 * (gradients/layer-gradients.ts). Its gradients for the input, the filter and the bias must be
 * those of the three-op composition relu(conv2d(x, w) + b) that it replaces, on the cpu backend
 * and on wasm with the native kernels, and a gradient for the input alone must not compute the
 * filter's or the bias's.
 */
const nativeTurnedOff = readEnvironmentSettings(process.env).nativeKernels === 'off';

type Backend = 'cpu' | 'wasm';

async function activate(backend: Backend): Promise<void> {
  await useBackend(backend);
  if (backend === 'wasm' && !nativeTurnedOff) registerNativeKernels('wasm');
}

// Weights at a trained layer's scale (σ 0.2), so a 1e-4 tolerance measures the kernels.
const xShape = [3, 9, 7, 16] as const;
const wShape = [3, 3, 16, 24] as const;

function inputs(): { x: tf.Tensor4D; w: tf.Tensor4D; b: tf.Tensor1D; weights: tf.Tensor4D } {
  return {
    x: tf.tensor4d(randomValues(size(xShape), 1), [...xShape]),
    w: tf.mul(tf.tensor4d(randomValues(size(wShape), 2), [...wShape]), 0.2) as tf.Tensor4D,
    // Shifted so that about a third of the outputs are cut by the ReLU.
    b: tf.add(tf.tensor1d(randomValues(24, 3)), -0.5) as tf.Tensor1D,
    // A random upstream gradient: each output's contribution is distinguishable.
    weights: tf.tensor4d(randomValues(3 * 9 * 7 * 24, 4), [3, 9, 7, 24]),
  };
}

type Layer = (x: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D) => tf.Tensor4D;

const fused: Layer = (x, w, b) =>
  convRelu(
    x,
    new Map<string, tf.Tensor>([
      ['layer.weight', w],
      ['layer.bias', b],
    ]),
    'layer',
  );

const composed: Layer = (x, w, b) => tf.relu(tf.add(tf.conv2d(x, w, 1, 'same'), b) as tf.Tensor4D);

async function gradients(backend: Backend, layer: Layer): Promise<Float32Array[]> {
  await activate(backend);
  const { x, w, b, weights } = inputs();
  const before = tf.memory().numTensors;
  const grads = tf.grads((xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor) =>
    tf.sum(tf.mul(layer(xi as tf.Tensor4D, wi as tf.Tensor4D, bi as tf.Tensor1D), weights)),
  )([x, w, b]);
  const data = await Promise.all(grads.map(async (g) => (await g.data()) as Float32Array));
  tf.dispose(grads);
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose([x, w, b, weights]);
  return data;
}

describe('FusedConv2D gradient', () => {
  afterAll(async () => {
    await useBackend('cpu');
  });

  it.each<Backend>(['cpu', 'wasm'])(
    'input, filter and bias gradients on %s match the composed ops on cpu',
    async (backend) => {
      const reference = await gradients('cpu', composed);
      const actual = await gradients(backend, fused);
      expect(reference[0]?.some((v) => v !== 0)).toBe(true);
      ['input', 'filter', 'bias'].forEach((name, i) => {
        const error = maxRelativeError(actual[i] ?? [], reference[i] ?? []);
        expect(error, `${name} gradient`).toBeLessThan(1e-4);
      });
    },
  );

  it.each<Backend>(['cpu', 'wasm'])(
    'the input gradient alone runs no filter or bias gradient kernel (%s)',
    async (backend) => {
      await activate(backend);
      const { x, w, b, weights } = inputs();
      const profile = await tf.profile(() =>
        tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(fused(xi as tf.Tensor4D, w, b), weights)))(x),
      );
      const kernels = profile.kernels.map((k) => k.name);
      expect(kernels).toContain('FusedConv2D');
      expect(kernels).toContain('Conv2DBackpropInput');
      expect(kernels).not.toContain('Conv2DBackpropFilter');
      // One Sum: the loss's own; the bias gradient would be a second.
      expect(kernels.filter((name) => name === 'Sum')).toHaveLength(1);
      tf.dispose([x, w, b, weights]);
    },
  );

  it('refuses activations it has no gradient for, naming the activation', async () => {
    await activate('cpu');
    const { x, w, b } = inputs();
    const attrs = { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', dilations: [1, 1] };
    const elu = (xi: tf.Tensor): tf.Tensor =>
      tf.sum(
        tf.engine().runKernel('FusedConv2D', { x: xi, filter: w, bias: b }, {
          ...attrs,
          activation: 'elu',
        } as unknown as tf.NamedAttrMap) as tf.Tensor,
      );
    expect(() => tf.grad(elu)(x)).toThrow(/support the ReLU and no activation, got elu/);
    tf.dispose([x, w, b]);
  });
});
