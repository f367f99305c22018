import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxRelativeError, useBackend } from '../use-backend';

/**
 * Our wasm Conv2DBackpropInput / Conv2DBackpropFilter against the cpu backend's reference
 * kernels on random shapes and values. Tolerance: relative 1e-4 (values are O(1)-O(100) sums of
 * float32 products; the error metric is relative above 1 and absolute below).
 */
interface Case {
  batch: number;
  size: [number, number];
  inChannels: number;
  outChannels: number;
  kernel: number;
  stride: 1 | 2;
  pad: 'same' | 'valid';
}

function cases(): Case[] {
  const list: Case[] = [];
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
          list.push({ batch: 1 + (i % 3), size, inChannels, outChannels, kernel, stride, pad });
          i++;
        }
      }
    }
  }
  return list;
}

function randomArray(length: number, seed: number): Float32Array {
  const values = tf.randomNormal([length], 0, 1, 'float32', seed);
  const data = values.dataSync() as Float32Array;
  values.dispose();
  return data;
}

interface Gradients {
  dx: Float32Array;
  dw: Float32Array;
}

/** Both gradients via the public ops, with the given backend's kernels. */
async function gradients(backend: 'wasm' | 'cpu', c: Case, seed: number): Promise<Gradients> {
  await useBackend(backend);
  const xShape: [number, number, number, number] = [c.batch, c.size[0], c.size[1], c.inChannels];
  const wShape: [number, number, number, number] = [
    c.kernel,
    c.kernel,
    c.inChannels,
    c.outChannels,
  ];
  const x = tf.tensor4d(
    randomArray(
      xShape.reduce((a, b) => a * b),
      seed,
    ),
    xShape,
  );
  const w = tf.tensor4d(
    randomArray(
      wShape.reduce((a, b) => a * b),
      seed + 1,
    ),
    wShape,
  );
  const outShape = tf.tidy(() => tf.conv2d(x, w, c.stride, c.pad).shape);
  const dy = tf.tensor4d(
    randomArray(
      outShape.reduce((a, b) => a * b),
      seed + 2,
    ),
    outShape,
  );
  const dx = tf.conv2dTranspose(dy, w, xShape, c.stride, c.pad);
  const dw = tf
    .engine()
    .runKernel(
      'Conv2DBackpropFilter',
      { x, dy },
      { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', filterShape: wShape },
    ) as tf.Tensor;
  const result = { dx: (await dx.data()) as Float32Array, dw: (await dw.data()) as Float32Array };
  tf.dispose([x, w, dy, dx, dw]);
  return result;
}

describe('wasm conv2d gradient kernels', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it.each(cases().map((c, i) => [describeCase(c), c, i] as const))(
    '%s matches cpu',
    async (_name, c, i) => {
      const reference = await gradients('cpu', c, 100 + i * 7);
      const actual = await gradients('wasm', c, 100 + i * 7);
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

function describeCase(c: Case): string {
  return `n${c.batch} ${c.size.join('x')}x${c.inChannels}→${c.outChannels} k${c.kernel} s${c.stride} ${c.pad}`;
}
