/**
 * The gradients the engine registers for imported ONNX models' ops (activation-gradients.ts,
 * concat-depthwise-gradients.ts), on the wasm backend, against central finite differences in
 * float64 of the same function written in JavaScript: for L(x) = Σ w ⊙ f(x) with fixed random
 * w, ∂L/∂xᵢ ≈ (L(x + h·eᵢ) − L(x − h·eᵢ)) / 2h for elementwise f (per element, h = 1e-5), and
 * the directional derivative ⟨∇L, v⟩ ≈ (L(x + h·v) − L(x − h·v)) / 2h for Concat and the
 * depthwise convolution (linear in x and in the filter, so the difference is exact up to rounding).
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../use-backend';

const h = 1e-5;
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Inputs away from the kinks of LeakyRelu/Elu/Maximum (|x| ≥ 0.05), so differences are smooth. */
function samples(count: number, seed: number): Float32Array {
  let state = seed;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const u = state / 2 ** 31;
    out[i] = (u < 0.5 ? -1 : 1) * (0.05 + 2 * Math.abs(u - 0.5) * 3);
  }
  return out;
}

const elementwise: [string, (x: tf.Tensor) => tf.Tensor, (x: number) => number][] = [
  ['Sigmoid', (x) => tf.sigmoid(x), sigmoid],
  ['Tanh', (x) => tf.tanh(x), Math.tanh],
  ['Softplus', (x) => tf.softplus(x), (x) => Math.log1p(Math.exp(x))],
  ['LeakyRelu', (x) => tf.leakyRelu(x, 0.1), (x) => (x > 0 ? x : 0.1 * x)],
  ['Elu', (x) => tf.elu(x), (x) => (x > 0 ? x : Math.expm1(x))],
  ['Expm1', (x) => tf.expm1(x), Math.expm1],
  ['Maximum (Clip)', (x) => tf.maximum(x, 0.3), (x) => Math.max(x, 0.3)],
  ['Minimum (Clip)', (x) => tf.minimum(x, -0.3), (x) => Math.min(x, -0.3)],
  [
    'Select',
    (x) => tf.where(tf.greater(x, 0), tf.mul(x, 2), tf.mul(x, -3)),
    (x) => (x > 0 ? 2 * x : -3 * x),
  ],
];

describe('gradients of the ONNX importer’s ops on wasm', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it.each(elementwise)('%s matches central differences', (_name, op, reference) => {
    const x = samples(60, 7);
    const gradient = tf.tidy(() =>
      tf
        .grad((t: tf.Tensor) => op(t))(tf.tensor(x, [3, 4, 5]))
        .dataSync(),
    );
    x.forEach((value, i) => {
      const expected = (reference(value + h) - reference(value - h)) / (2 * h);
      expect(Math.abs((gradient[i] ?? NaN) - expected)).toBeLessThan(
        1e-4 * Math.max(1, Math.abs(expected)),
      );
    });
  });

  it('Softmax matches central differences', () => {
    const x = Array.from(samples(10, 3));
    const w = Array.from(samples(10, 4));
    const loss = (v: number[]) => {
      const top = Math.max(...v);
      const e = v.map((z) => Math.exp(z - top));
      const total = e.reduce((a, b) => a + b, 0);
      return e.reduce((sum, z, i) => sum + (w[i] ?? 0) * (z / total), 0);
    };
    const gradient = tf.tidy(() =>
      tf
        .grad((t: tf.Tensor) => tf.sum(tf.mul(tf.softmax(t), tf.tensor(w, [1, 10]))))(
          tf.tensor(x, [1, 10]),
        )
        .dataSync(),
    );
    x.forEach((_, i) => {
      const up = x.map((v, k) => (k === i ? v + h : v));
      const down = x.map((v, k) => (k === i ? v - h : v));
      expect(gradient[i]).toBeCloseTo((loss(up) - loss(down)) / (2 * h), 5);
    });
  });

  /** ⟨∇L, v⟩ against (L(x + h·v) − L(x − h·v)) / 2h, L = Σ w ⊙ f, in float32 tensors. */
  function directional(
    f: (x: tf.Tensor) => tf.Tensor,
    shape: number[],
    seed: number,
  ): [number, number] {
    return tf.tidy(() => {
      const x = tf.randomNormal(shape, 0, 1, 'float32', seed);
      const v = tf.randomNormal(shape, 0, 1, 'float32', seed + 1);
      const w = tf.randomNormal(f(x).shape, 0, 1, 'float32', seed + 2);
      const loss = (t: tf.Tensor) => tf.sum(tf.mul(w, f(t)));
      const along = tf.sum(tf.mul(tf.grad(loss)(x), v)).dataSync()[0] ?? NaN;
      // f is linear: L(x + v) − L(x − v) over 2 is exactly ⟨∇L, v⟩ (h = 1 keeps float32 exact).
      const step = (tf.sub(loss(tf.add(x, v)), loss(tf.sub(x, v))).dataSync()[0] ?? NaN) / 2;
      return [along, step];
    });
  }

  it('Concat matches the directional difference for every input', () => {
    const [along, step] = directional(
      (x) => tf.concat([tf.slice(x, [0, 0, 0, 0], [-1, -1, -1, 2]), tf.mul(x, 3), x], 3),
      [2, 4, 4, 5],
      11,
    );
    expect(Math.abs(along - step)).toBeLessThan(1e-3 * Math.max(1, Math.abs(step)));
  });

  it.each([
    [1, 'same'],
    [2, 'same'],
    [2, 'valid'],
  ] as const)(
    'DepthwiseConv2dNative (stride %i, %s) matches it for the input and the filter',
    (stride, pad) => {
      const filter = tf.randomNormal([3, 3, 4, 2], 0, 1, 'float32', 21) as tf.Tensor4D;
      const [alongX, stepX] = directional(
        (x) => tf.depthwiseConv2d(x as tf.Tensor4D, filter, stride, pad),
        [2, 7, 7, 4],
        31,
      );
      expect(Math.abs(alongX - stepX)).toBeLessThan(1e-3 * Math.max(1, Math.abs(stepX)));
      const x = tf.randomNormal([2, 7, 7, 4], 0, 1, 'float32', 41) as tf.Tensor4D;
      const [alongF, stepF] = directional(
        (f) => tf.depthwiseConv2d(x, f as tf.Tensor4D, stride, pad),
        [3, 3, 4, 2],
        51,
      );
      expect(Math.abs(alongF - stepF)).toBeLessThan(1e-3 * Math.max(1, Math.abs(stepF)));
      tf.dispose([filter, x]);
    },
  );
});
