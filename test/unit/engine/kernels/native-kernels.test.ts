import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import {
  findNativeAddon,
  loadNativeAddon,
} from '../../../../src-main/engine/kernels/native/native-addon';
import {
  isNativeKernel,
  registerNativeKernels,
  setNativeKernelThreads,
} from '../../../../src-main/engine/kernels/native/register-native-kernels';
import { createModel } from '../../../../src-main/engine/models/create-model';
import { createOptimizer } from '../../../../src-main/engine/training/optimizers';
import { trainingStep } from '../../../../src-main/engine/training/training-step';
import { maxRelativeError, useBackend } from '../use-backend';
import {
  convCases,
  convResults,
  describeConvCase,
  randomValues,
  size,
  type ConvCase,
  type Shape4,
} from './kernel-test-data';
import { readEnvironmentSettings } from '../../../../src-main/common/environment-settings';

/**
 * The native kernels (registered on wasm here) against the cpu backend's reference kernels, on
 * random shapes, values and gradients, relative tolerance 1e-4 (relative above 1, absolute
 * below; see maxRelativeError). The addon must load: `npm ci` builds it (libopenblas-dev is
 * installed by .ci/run). Only RFW_NATIVE_KERNELS=off, which turns the addon off on purpose,
 * skips these tests.
 */
const turnedOff = readEnvironmentSettings(process.env).nativeKernels === 'off';

describe.skipIf(turnedOff)('native kernels on wasm', () => {
  beforeAll(async () => {
    await useBackend('wasm');
    const status = registerNativeKernels('wasm');
    expect(status.detail).toContain('OpenBLAS');
    expect(status.active).toBe(true);
  });

  it('the addon loads', () => {
    const load = loadNativeAddon();
    expect(load.ok ? 'loaded' : load.reason).toBe('loaded');
  });

  // Each calling thread keeps helper threads between kernel calls (native/src/parallel.c); they
  // must end with the worker thread that started them, neither left behind (a leak per engine
  // worker) nor running once the worker's copy of the addon is unloaded (a crash of the whole
  // process); the worker's scratch buffer is freed with them. Run in a process of its own, where
  // only the workers load the addon.
  it.runIf(process.platform === 'linux')(
    'worker threads that ran multi-threaded kernels exit cleanly, five times over',
    () => {
      const addonPath = findNativeAddon();
      expect(addonPath).not.toBeNull();
      const workerSource = `
      const { parentPort, workerData } = require('node:worker_threads');
      const addon = require(workerData);
      addon.setThreads(3);
      const x = new Float32Array(300000).map((_, i) => (i % 5) - 2);
      const out = new Float32Array(x.length);
      for (let i = 0; i < 20; i++) addon.relu(x, out);
      // Takes this thread's scratch buffer, which the addon's cleanup hook frees at exit.
      addon.sumLeadingAxes(x, new Float32Array(1000), 300, 1000);
      parentPort.postMessage(out.reduce((a, b) => a + b, 0));`;
      const mainSource = `
      const { Worker } = require('node:worker_threads');
      const threads = () => require('node:fs').readdirSync('/proc/self/task').length;
      (async () => {
        const before = threads();
        for (let round = 0; round < 5; round++) {
          const worker = new Worker(${JSON.stringify(workerSource)}, {
            eval: true,
            workerData: ${JSON.stringify(addonPath)},
          });
          const sum = await new Promise((resolve) => worker.once('message', resolve));
          await new Promise((resolve) => worker.once('exit', resolve));
          console.log(sum);
        }
        // Time for any helper left behind to run into the unloaded code.
        await new Promise((resolve) => setTimeout(resolve, 300));
        console.log('threads left behind: ' + (threads() - before));
      })();`;
      const run = spawnSync(process.execPath, ['-e', mainSource], { encoding: 'utf8' });
      expect({ status: run.status, signal: run.signal, stderr: run.stderr }).toEqual({
        status: 0,
        signal: null,
        stderr: '',
      });
      // relu of the cycle −2, −1, 0, 1, 2 sums to 3 per 5 elements; each worker's 2 helpers went
      // with it.
      expect(run.stdout.trim().split('\n')).toEqual([
        ...Array<string>(5).fill(String(3 * 60000)),
        'threads left behind: 0',
      ]);
    },
  );

  // Each case on 1, 2 and 3 threads in turn: the kernels split the batch (and GEMM rows) into
  // per-thread parts, and 3 parts of a batch of 1–3 also covers parts of a single image.
  it.each(convCases().map((c, i) => [describeConvCase(c), c, i] as const))(
    'conv2d %s: forward, input and filter gradients match cpu',
    async (_name, c, i) => {
      setNativeKernelThreads(1 + (i % 3), {});
      const reference = await convResults('cpu', c, 300 + i * 7);
      const actual = await convResults('wasm', c, 300 + i * 7);
      expect(actual.y.length).toBe(reference.y.length);
      expect(maxRelativeError(actual.y, reference.y)).toBeLessThan(1e-4);
      expect(maxRelativeError(actual.dx, reference.dx)).toBeLessThan(1e-4);
      expect(maxRelativeError(actual.dw, reference.dw)).toBeLessThan(1e-4);
    },
  );

  // Batches large enough to span several im2col tiles, so that threads take several tiles each
  // and the filter gradient sums per-thread partials.
  const multiTileCases: ConvCase[] = [
    {
      batch: 40,
      size: [8, 8],
      inChannels: 3,
      outChannels: 4,
      kernel: 3,
      stride: 1,
      dilation: 1,
      pad: 'same',
    },
    {
      batch: 24,
      size: [28, 28],
      inChannels: 1,
      outChannels: 8,
      kernel: 5,
      stride: 1,
      dilation: 1,
      pad: 'same',
    },
    {
      batch: 9,
      size: [16, 16],
      inChannels: 32,
      outChannels: 16,
      kernel: 3,
      stride: 2,
      dilation: 1,
      pad: 'valid',
    },
  ];

  it.each(
    multiTileCases.flatMap((c, i) =>
      [1, 2, 3].map((threads) => [describeConvCase(c), i, threads, c] as const),
    ),
  )(
    'conv2d %s over several tiles matches cpu (case %i, %i threads)',
    async (_name, i, threads, c) => {
      setNativeKernelThreads(threads, {});
      const reference = await convResults('cpu', c, 900 + i);
      const actual = await convResults('wasm', c, 900 + i);
      expect(maxRelativeError(actual.y, reference.y)).toBeLessThan(1e-4);
      expect(maxRelativeError(actual.dx, reference.dx)).toBeLessThan(1e-4);
      expect(maxRelativeError(actual.dw, reference.dw)).toBeLessThan(1e-4);
    },
  );

  // tf.fused.conv2d: inside a gradient with a linear activation (bias fused, as the models use
  // it), and outside one with ReLU (bias and ReLU fused); gradients through the fused op too.
  it.each([
    ['linear', true],
    ['relu', false],
    ['linear', false],
  ] as const)(
    'fused conv2d, %s activation, gradient mode %s, matches cpu',
    async (activation, withGradient) => {
      const run = async (backend: 'wasm' | 'cpu'): Promise<Float32Array[]> => {
        await useBackend(backend);
        const x = tf.tensor4d(randomValues(5 * 9 * 9 * 4, 101), [5, 9, 9, 4]);
        const w = tf.mul<tf.Tensor4D>(
          tf.tensor4d(randomValues(3 * 3 * 4 * 6, 102), [3, 3, 4, 6]),
          0.3,
        );
        const bias = tf.tensor1d(randomValues(6, 103));
        const f = (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor): tf.Tensor4D =>
          tf.fused.conv2d({
            x: xi as tf.Tensor4D,
            filter: wi as tf.Tensor4D,
            strides: 1,
            pad: 'same',
            bias: bi,
            activation,
          });
        const outs = withGradient
          ? tf.grads((xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor) =>
              tf.sum(tf.square(tf.relu(f(xi, wi, bi)))),
            )([x, w, bias])
          : [f(x, w, bias)];
        const data = await Promise.all(outs.map(async (t) => (await t.data()) as Float32Array));
        tf.dispose([x, w, bias, ...outs]);
        return data;
      };
      const reference = await run('cpu');
      const actual = await run('wasm');
      reference.forEach((values, i) =>
        expect(maxRelativeError(actual[i] ?? [], values)).toBeLessThan(1e-4),
      );
    },
  );

  const matmulCases: [string, number[], number[], boolean, boolean][] = [
    ['2-D', [7, 5], [5, 3], false, false],
    ['transposeA', [5, 7], [5, 3], true, false],
    ['transposeB', [7, 5], [3, 5], false, true],
    ['both transposed', [5, 7], [3, 5], true, true],
    ['batched', [4, 6, 5], [4, 5, 3], false, false],
    ['batch broadcast on b', [2, 3, 6, 5], [5, 4], false, false],
    ['batch broadcast on a, transposed', [5, 6], [4, 3, 5], true, true],
    ['dense-layer shape', [128, 300], [300, 96], false, false],
  ];

  it.each(matmulCases.flatMap((c) => [1, 2, 3].map((threads) => [...c, threads] as const)))(
    'matMul %s matches cpu (%s %s %s, %i threads)',
    async (_name, aShape, bShape, ta, tb, threads) => {
      setNativeKernelThreads(threads, {});
      const run = async (backend: 'wasm' | 'cpu'): Promise<Float32Array> => {
        await useBackend(backend);
        const a = tf.tensor(randomValues(size(aShape), 11), aShape);
        const b = tf.tensor(randomValues(size(bShape), 12), bShape);
        const out = tf.matMul(a, b, ta, tb);
        const data = (await out.data()) as Float32Array;
        tf.dispose([a, b, out]);
        return data;
      };
      expect(maxRelativeError(await run('wasm'), await run('cpu'))).toBeLessThan(1e-4);
    },
  );

  const poolCases: [string, number, number, 'same' | 'valid', Shape4][] = [
    ['2×2 stride 2 valid', 2, 2, 'valid', [3, 8, 8, 4]],
    ['2×2 stride 2 same, odd size', 2, 2, 'same', [2, 7, 9, 3]],
    ['3×3 stride 1 same (overlapping windows)', 3, 1, 'same', [2, 6, 5, 2]],
    ['3×3 stride 2 valid', 3, 2, 'valid', [1, 9, 9, 5]],
    // Tiling windows take the one-pass kernel: 37 channels are four 8-lane groups and a tail of
    // 5; the odd sizes leave a last row and column that no window covers (gradient 0 there).
    ['2×2 stride 2 valid, odd size, 37 channels', 2, 2, 'valid', [2, 9, 7, 37]],
    ['3×3 stride 3 valid, 16 channels', 3, 3, 'valid', [2, 10, 9, 16]],
  ];

  // The inputs go through a ReLU, so many windows tie at 0: the gradient must go where the
  // reference sends it (the first maximum), not merely to some maximum.
  it.each(poolCases.flatMap((c) => [1, 2].map((threads) => [...c, threads] as const)))(
    'maxPool gradient %s matches cpu, ties included (%i, %i, %s, %s, %i threads)',
    async (_name, filter, stride, pad, shape, threads) => {
      setNativeKernelThreads(threads, {});
      const run = async (backend: 'wasm' | 'cpu'): Promise<Float32Array> => {
        await useBackend(backend);
        const x = tf.relu(tf.tensor4d(randomValues(size(shape), 41), shape));
        const pool = (xi: tf.Tensor): tf.Tensor4D =>
          tf.maxPool(xi as tf.Tensor4D, filter, stride, pad);
        // A random output gradient, so each routed value is distinguishable.
        const pooledShape = tf.tidy(() => pool(x).shape);
        const weights = tf.tensor(randomValues(size(pooledShape), 42), pooledShape);
        const gradient = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(pool(xi), weights)))(x);
        const data = (await gradient.data()) as Float32Array;
        tf.dispose([x, weights, gradient]);
        return data;
      };
      const reference = await run('cpu');
      expect(reference.filter((v) => v !== 0).length).toBeGreaterThan(0);
      expect(maxRelativeError(await run('wasm'), reference)).toBeLessThan(1e-4);
    },
  );

  it.each([1, 2])(
    'maxPool gradient with NaN, -inf and ±0 in windows matches cpu (%i threads)',
    async (threads) => {
      setNativeKernelThreads(threads, {});
      const shape: Shape4 = [2, 6, 6, 9];
      const values = randomValues(size(shape), 43);
      // Window (0,0) of every channel: NaN beside numbers; window (0,1): all -inf; window (1,0):
      // -0 and +0 tie; the rest random.
      for (let c = 0; c < 9; c++) {
        const at = (y: number, x: number): number => (y * 6 + x) * 9 + c;
        values[at(0, 0)] = NaN;
        for (const [y, x] of [
          [0, 2],
          [0, 3],
          [1, 2],
          [1, 3],
        ])
          values[at(y ?? 0, x ?? 0)] = -Infinity;
        values[at(2, 0)] = -0;
        values[at(2, 1)] = 0;
        values[at(3, 0)] = -0;
        values[at(3, 1)] = -1;
      }
      const run = async (backend: 'wasm' | 'cpu'): Promise<Float32Array> => {
        await useBackend(backend);
        const x = tf.tensor4d(values, shape);
        const weights = tf.tensor(randomValues(2 * 3 * 3 * 9, 44), [2, 3, 3, 9]);
        const gradient = tf.grad((xi: tf.Tensor) =>
          tf.sum(tf.mul(tf.maxPool(xi as tf.Tensor4D, 2, 2, 'valid'), weights)),
        )(x);
        const data = (await gradient.data()) as Float32Array;
        tf.dispose([x, weights, gradient]);
        return data;
      };
      const reference = await run('cpu');
      expect(Array.from(await run('wasm'))).toEqual(Array.from(reference));
    },
  );

  const sumCases: [string, number[], number[], boolean][] = [
    ['bias gradient of a conv, [N,H,W,C] → [C]', [5, 9, 7, 6], [0, 1, 2], false],
    ['bias gradient of a dense layer, [N,C] → [C]', [1300, 5], [0], false],
    ['axes unordered, keepDims', [4, 3, 8], [1, 0], true],
    ['negative axes', [3, 600, 4], [-3, -2], false],
    ['not leading axes (fallback)', [4, 5, 6], [1, 2], false],
    ['a single axis of a rank-3 tensor (fallback)', [4, 5, 6], [0], false],
  ];

  it.each(sumCases.flatMap((c) => [1, 3].map((threads) => [...c, threads] as const)))(
    'sum %s matches cpu (%s, %s, %s, %i threads)',
    async (_name, shape, axes, keepDims, threads) => {
      setNativeKernelThreads(threads, {});
      const run = async (
        backend: 'wasm' | 'cpu',
      ): Promise<{ shape: number[]; data: Float32Array }> => {
        await useBackend(backend);
        const x = tf.tensor(randomValues(size(shape), 61), shape);
        const out = tf.sum(x, axes, keepDims);
        const result = { shape: out.shape, data: (await out.data()) as Float32Array };
        tf.dispose([x, out]);
        return result;
      };
      const reference = await run('cpu');
      const actual = await run('wasm');
      expect(actual.shape).toEqual(reference.shape);
      expect(maxRelativeError(actual.data, reference.data)).toBeLessThan(1e-4);
    },
  );

  it.each([1, 3])(
    'relu and step match cpu, NaN, -0 and ties at 0 included (%i threads)',
    async (threads) => {
      setNativeKernelThreads(threads, {});
      const values = randomValues(70_001, 71);
      values.set([NaN, 0, -0, -Infinity, Infinity], 0);
      const run = async (backend: 'wasm' | 'cpu'): Promise<Float32Array[]> => {
        await useBackend(backend);
        const x = tf.tensor1d(values);
        const outs = [tf.relu(x), tf.step(x), tf.step(x, 0.25)];
        const data = await Promise.all(outs.map(async (t) => (await t.data()) as Float32Array));
        tf.dispose([x, ...outs]);
        return data;
      };
      const reference = await run('cpu');
      const actual = await run('wasm');
      reference.forEach((values, i) => expect(actual[i]).toEqual(values));
    },
  );

  it.each([1, 3])(
    "the ReLU's gradient is the bitwise product dy · step(x) of the cpu backend (%i threads)",
    async (threads) => {
      setNativeKernelThreads(threads, {});
      const values = randomValues(70_001, 73);
      values.set([NaN, 0, -0, -Infinity, Infinity, 1, -1, 2], 0);
      const upstream = randomValues(70_001, 74);
      upstream.set([1, Infinity, NaN, 2, -0, NaN, Infinity, -Infinity], 0);
      const run = async (backend: 'wasm' | 'cpu'): Promise<Float32Array> => {
        await useBackend(backend);
        const x = tf.tensor1d(values);
        const dy = tf.tensor1d(upstream);
        const gradient = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(tf.relu(xi), dy)))(x);
        const data = (await gradient.data()) as Float32Array;
        tf.dispose([x, dy, gradient]);
        return data;
      };
      const reference = await run('cpu');
      expect(isNativeKernel('ReluGradient', 'wasm')).toBe(true);
      expect(Array.from(await run('wasm'))).toEqual(Array.from(reference));
    },
  );

  const binaryCases: [string, number[], number[]][] = [
    ['same shape', [4, 9, 9, 33], [4, 9, 9, 33]],
    ['bias [C] on b', [4, 9, 9, 33], [33]],
    ['bias [C] on a', [33], [4, 9, 9, 33]],
    ['bias [1, 1, C]', [4, 9, 33], [1, 1, 33]],
    ['scalar', [5, 70], []],
    ['outer broadcast (fallback)', [3, 1], [1, 4]],
  ];

  it.each(binaryCases.flatMap((c) => [1, 3].map((threads) => [...c, threads] as const)))(
    'add and multiply, %s, match cpu (%s, %s, %i threads)',
    async (_name, aShape, bShape, threads) => {
      setNativeKernelThreads(threads, {});
      const run = async (backend: 'wasm' | 'cpu'): Promise<Float32Array[]> => {
        await useBackend(backend);
        const a = tf.tensor(randomValues(size(aShape), 81), aShape);
        const b = tf.tensor(randomValues(size(bShape), 82), bShape);
        const outs = [tf.add(a, b), tf.mul(a, b)];
        const data = await Promise.all(outs.map(async (t) => (await t.data()) as Float32Array));
        tf.dispose([a, b, ...outs]);
        return data;
      };
      const reference = await run('cpu');
      const actual = await run('wasm');
      reference.forEach((values, i) => expect(actual[i]).toEqual(values));
    },
  );

  it('a non-plain batch broadcast goes to the fallback and still matches cpu', async () => {
    const run = async (backend: 'wasm' | 'cpu'): Promise<Float32Array> => {
      await useBackend(backend);
      const a = tf.tensor(randomValues(3 * 4 * 5, 21), [3, 1, 4, 5]);
      const b = tf.tensor(randomValues(3 * 5 * 2, 22), [1, 3, 5, 2]);
      const out = tf.matMul(a, b);
      expect(out.shape).toEqual([3, 3, 4, 2]);
      const data = (await out.data()) as Float32Array;
      tf.dispose([a, b, out]);
      return data;
    };
    expect(maxRelativeError(await run('wasm'), await run('cpu'))).toBeLessThan(1e-4);
  });

  // Weights at the scale of a trained layer (σ 0.1), so gradients are O(1)–O(10) and a 1e-4
  // tolerance measures the kernels rather than float32 cancellation in sums of huge terms.
  it('gradients through conv → pool → dense match cpu and leak no tensors', async () => {
    const run = async (backend: 'wasm' | 'cpu'): Promise<Float32Array[]> => {
      await useBackend(backend);
      const x = tf.tensor4d(randomValues(4 * 12 * 12 * 3, 31), [4, 12, 12, 3]);
      const w = tf.mul(tf.tensor4d(randomValues(5 * 5 * 3 * 8, 32), [5, 5, 3, 8]), 0.1);
      const v = tf.mul(tf.tensor2d(randomValues(6 * 6 * 8 * 10, 33), [6 * 6 * 8, 10]), 0.1);
      const before = tf.memory().numTensors;
      const loss = (xi: tf.Tensor, wi: tf.Tensor, vi: tf.Tensor): tf.Scalar => {
        const h = tf.maxPool(
          tf.relu(tf.conv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, 1, 'same')),
          2,
          2,
          'valid',
        );
        return tf.sum(tf.square(tf.matMul(tf.reshape(h, [4, 6 * 6 * 8]), vi as tf.Tensor2D)));
      };
      const grads = tf.grads(loss)([x, w, v]);
      const out = await Promise.all(grads.map(async (g) => (await g.data()) as Float32Array));
      tf.dispose(grads);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, w, v]);
      return out;
    };
    const reference = await run('cpu');
    const actual = await run('wasm');
    for (let i = 0; i < reference.length; i++) {
      expect(maxRelativeError(actual[i] ?? [], reference[i] ?? [])).toBeLessThan(1e-4);
    }
  });

  // Attacks split over several workers run each worker's kernels on fewer threads; the split
  // must not change a single float of the result (DESIGN: results reproduce).
  it('forward, input gradients and bias sums are bitwise the same on 1, 2 and 3 threads', async () => {
    await useBackend('wasm');
    const x = tf.tensor4d(randomValues(64 * 28 * 28 * 1, 51), [64, 28, 28, 1]);
    const w1 = tf.mul<tf.Tensor4D>(
      tf.tensor4d(randomValues(5 * 5 * 1 * 32, 52), [5, 5, 1, 32]),
      0.2,
    );
    const w2 = tf.mul<tf.Tensor4D>(
      tf.tensor4d(randomValues(5 * 5 * 32 * 16, 53), [5, 5, 32, 16]),
      0.05,
    );
    const v = tf.mul<tf.Tensor2D>(
      tf.tensor2d(randomValues(7 * 7 * 16 * 300, 54), [7 * 7 * 16, 300]),
      0.05,
    );
    const run = (threads: number): Float32Array[] => {
      setNativeKernelThreads(threads, {});
      return tf.tidy(() => {
        const f = (xi: tf.Tensor): tf.Tensor => {
          const h1 = tf.maxPool(
            tf.relu(tf.conv2d(xi as tf.Tensor4D, w1, 1, 'same')),
            2,
            2,
            'valid',
          );
          const h2 = tf.maxPool(tf.relu(tf.conv2d(h1, w2, 1, 'same')), 2, 2, 'valid');
          return tf.matMul(tf.reshape(h2, [64, 7 * 7 * 16]), v);
        };
        const { value, grad } = tf.valueAndGrad((xi: tf.Tensor) => tf.sum(tf.square(f(xi))))(x);
        const biasGradient = tf.sum(tf.conv2d(x, w1, 1, 'same'), [0, 1, 2]);
        return [
          biasGradient.dataSync() as Float32Array,
          f(x).dataSync() as Float32Array,
          value.dataSync() as Float32Array,
          grad.dataSync() as Float32Array,
        ];
      });
    };
    const one = run(1);
    for (const threads of [2, 3]) {
      const other = run(threads);
      other.forEach((values, i) => expect(values).toEqual(one[i]));
    }
    tf.dispose([x, w1, w2, v]);
  });

  // End to end: every gradient the optimizer sees goes through the native kernels (conv, both
  // conv gradients over several tiles, matMul, pooling, bias sums, elementwise).
  it('two momentum-SGD steps of small-cnn on 16 MNIST-sized images match cpu', async () => {
    setNativeKernelThreads(2, {});
    const train = async (
      backend: 'wasm' | 'cpu',
    ): Promise<{ losses: number[]; weights: Float32Array }> => {
      await useBackend(backend);
      const model = createModel(
        { architecture: 'small-cnn', inputShape: [28, 28, 1], numClasses: 10 },
        7,
      );
      const optimizer = createOptimizer('momentum', 0.01);
      const x = tf.tensor4d(
        randomValues(16 * 28 * 28 * 1, 91).map((v) => Math.abs(v) % 1),
        [16, 28, 28, 1],
      );
      const y = tf.tensor1d(
        Array.from({ length: 16 }, (_, i) => i % 10),
        'int32',
      );
      const losses = [0, 1].map(() => trainingStep(model, optimizer, x, y).loss);
      const weights = model.parameters[2]?.variable.dataSync() as Float32Array;
      tf.dispose([x, y]);
      optimizer.dispose();
      model.dispose();
      return { losses, weights };
    };
    const reference = await train('cpu');
    const actual = await train('wasm');
    actual.losses.forEach((loss, i) => expect(loss).toBeCloseTo(reference.losses[i] ?? NaN, 4));
    expect(maxRelativeError(actual.weights, reference.weights)).toBeLessThan(1e-4);
  });

  it('registration is idempotent and keeps the native kernels in front', () => {
    const first = tf.getKernel('Conv2D', 'wasm')?.kernelFunc;
    registerNativeKernels('wasm');
    expect(tf.getKernel('Conv2D', 'wasm')?.kernelFunc).toBe(first);
  });

  it('rejects operands that do not fit the geometry, with a clear message', () => {
    const load = loadNativeAddon();
    if (!load.ok) throw new Error(load.reason);
    const geometry = Int32Array.from([1, 4, 4, 1, 4, 4, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1]);
    const small = new Float32Array(3);
    expect(() =>
      load.addon.conv2dForward(
        small,
        new Float32Array(9),
        new Float32Array(16),
        geometry,
        null,
        false,
      ),
    ).toThrow(/first operand holds 3 floats but the geometry needs 16/);
    expect(() =>
      load.addon.conv2dForward(
        new Float32Array(16),
        new Float32Array(9),
        new Float32Array(16),
        new Int32Array(3),
        null,
        false,
      ),
    ).toThrow(/geometry must hold 17 integers/);
    expect(() =>
      load.addon.conv2dForward(
        new Float32Array(16),
        new Float32Array(9),
        new Float32Array(16),
        geometry,
        new Float32Array(0),
        false,
      ),
    ).toThrow(/bias holds 0 floats but the geometry needs 1/);
  });
});
