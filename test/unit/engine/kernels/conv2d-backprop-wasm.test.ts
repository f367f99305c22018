import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxRelativeError, useBackend } from '../use-backend';
import { convResults, describeConvCase, type ConvCase } from './kernel-test-data';

/**
 * Our wasm Conv2DBackpropInput / Conv2DBackpropFilter against the cpu backend's reference
 * kernels on random shapes and values. Tolerance: relative 1e-4 (values are O(1)-O(100) sums of
 * float32 products; the error metric is relative above 1 and absolute below).
 */
function cases(): ConvCase[] {
  const list: ConvCase[] = [];
  let i = 0;
  for (const stride of [1, 2] as const) {
    for (const pad of ['same', 'valid'] as const) {
      for (const kernel of [3, 5]) {
        for (const [inChannels, outChannels] of [
          [1, 4],
          [3, 8],
          [5, 2],
        ] as const) {
          // Odd and even sizes, non-square, so every padding/crop branch is hit.
          const size: [number, number] = [7 + (i % 4), 9 + ((i * 3) % 5)];
          list.push({
            batch: 1 + (i % 3),
            size,
            inChannels,
            outChannels,
            kernel,
            stride,
            dilation: 1,
            pad,
          });
          i++;
        }
      }
    }
  }
  return list;
}

describe('wasm conv2d gradient kernels', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it.each(cases().map((c, i) => [describeConvCase(c), c, i] as const))(
    '%s matches cpu',
    async (_name, c, i) => {
      const reference = await convResults('cpu', c, 100 + i * 7);
      const actual = await convResults('wasm', c, 100 + i * 7);
      expect(maxRelativeError(actual.dx, reference.dx)).toBeLessThan(1e-4);
      expect(maxRelativeError(actual.dw, reference.dw)).toBeLessThan(1e-4);
    },
  );

  it('tf.grad through conv2d on wasm equals cpu and leaks no tensors', async () => {
    const run = async (backend: 'wasm' | 'cpu'): Promise<Float32Array[]> => {
      await useBackend(backend);
      const x = tf.randomUniform([2, 12, 12, 3], 0, 1, 'float32', 5);
      const w = tf.randomNormal([5, 5, 3, 6], 0, 0.3, 'float32', 6);
      const before = tf.memory().numTensors;
      const loss = (xi: tf.Tensor4D, wi: tf.Tensor4D): tf.Scalar =>
        tf.sum(
          tf.square(
            tf.relu(
              tf.conv2d(tf.conv2d(xi, wi, 2, 'same'), tf.transpose(wi, [0, 1, 3, 2]), 1, 'valid'),
            ),
          ),
        );
      const [gx, gw] = tf.grads((xi: tf.Tensor, wi: tf.Tensor) =>
        loss(xi as tf.Tensor4D, wi as tf.Tensor4D),
      )([x, w]);
      if (gx === undefined || gw === undefined) throw new Error('missing gradient');
      const out = [(await gx.data()) as Float32Array, (await gw.data()) as Float32Array];
      tf.dispose([gx, gw]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, w]);
      return out;
    };
    const reference = await run('cpu');
    const actual = await run('wasm');
    expect(maxRelativeError(actual[0] ?? [], reference[0] ?? [])).toBeLessThan(1e-4);
    expect(maxRelativeError(actual[1] ?? [], reference[1] ?? [])).toBeLessThan(1e-4);
  });

  it('registration is idempotent', async () => {
    await useBackend('wasm');
    await useBackend('wasm');
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });
});
