/**
 * The project's wasm Sign and Log1p against the definitions (and the cpu backend) at every
 * magnitude: tfjs-wasm 4.22's own return sign(1e-8) = 0 and log1p(1e-8) = 0.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { useBackend } from '../use-backend';

const values = [
  1e-3,
  -1e-3,
  1e-8,
  -1e-10,
  1e-20,
  1e-30,
  1e-40,
  -1e-44,
  0,
  -0,
  5,
  -7,
  Infinity,
  -Infinity,
  NaN,
];

async function on(
  backend: 'wasm' | 'cpu',
  op: (x: tf.Tensor) => tf.Tensor,
  input: tf.DataType = 'float32',
): Promise<number[]> {
  await useBackend(backend);
  return tf.tidy(() =>
    Array.from(op(tf.tensor1d(input === 'int32' ? [3, -2, 0] : values, input)).dataSync()),
  );
}

describe('exact unary wasm kernels', () => {
  it('Sign is −1, 0 or +1 by the sign of x, at any magnitude; NaN gives 0', async () => {
    const wasm = await on('wasm', tf.sign);
    expect(wasm).toEqual([1, -1, 1, -1, 1, 1, 1, -1, 0, 0, 1, -1, 1, -1, 0]);
    expect(wasm).toEqual(await on('cpu', tf.sign));
    expect(await on('wasm', tf.sign, 'int32')).toEqual([1, -1, 0]);
  });

  it('Log1p is log(1 + x) without cancellation: log1p(x) ≈ x for tiny x', async () => {
    const wasm = await on('wasm', tf.log1p);
    values.forEach((x, i) => {
      const expected = Math.fround(Math.log1p(Math.fround(x)));
      if (Number.isNaN(expected)) expect(wasm[i]).toBeNaN();
      else expect(wasm[i]).toBe(expected);
    });
    expect(wasm.slice(0, 8)).toEqual((await on('cpu', tf.log1p)).slice(0, 8));
  });
});
