import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadNativeAddon,
  type NativeKernelAddon,
} from '../../../../src-main/engine/kernels/native/native-addon';
import {
  convGeometry,
  convInfo,
} from '../../../../src-main/engine/kernels/native/native-conv-kernels';
import {
  registerNativeKernels,
  setNativeKernelThreads,
} from '../../../../src-main/engine/kernels/native/register-native-kernels';
import { maxRelativeError, useBackend } from '../use-backend';
import { randomValues, size, type Shape4 } from './kernel-test-data';
import { readEnvironmentSettings } from '../../../../src-main/common/environment-settings';

/**
 * The native Winograd F(4×4, 3×3) and F(2×2, 5×5) paths (native/src/winograd.c) that 3×3 and 5×5
 * stride-1 'same' convolutions with ≥ 16 channels take, forward (with and without the fused bias and ReLU) and
 * input gradient, against the cpu backend's reference kernels at the suite's relative tolerance
 * 1e-4; thread-count determinism; and that every other shape still takes im2col.
 *
 * Weights are drawn at the scale of a trained layer (He: σ = √(2 / k²·cin)), so outputs are O(1)
 * as in the models: Winograd's rounding error grows with the outputs' scale (about 1e-5 of their
 * RMS, measured in the last test), so at 1e-4 *absolute* near zero a 1e-4 tolerance only holds
 * for outputs of that order.
 */
const turnedOff = readEnvironmentSettings(process.env).nativeKernels === 'off';

interface WinogradCase {
  /** The filter's side: 3 (the default) or 5. */
  kernel?: 3 | 5;
  batch: number;
  size: [number, number];
  inChannels: number;
  outChannels: number;
  bias: boolean;
  relu: boolean;
}

/** Odd sizes (partial tiles on the right and bottom), one tile, less than a tile, channels that are
 * not multiples of 8 (a partial 8-lane group in both transforms). */
const cases: WinogradCase[] = [
  { batch: 1, size: [7, 9], inChannels: 16, outChannels: 20, bias: false, relu: false },
  { batch: 3, size: [13, 5], inChannels: 21, outChannels: 16, bias: true, relu: true },
  { batch: 2, size: [16, 16], inChannels: 32, outChannels: 64, bias: true, relu: false },
  { batch: 5, size: [10, 11], inChannels: 35, outChannels: 19, bias: false, relu: true },
  { batch: 4, size: [4, 4], inChannels: 17, outChannels: 33, bias: true, relu: true },
  { batch: 2, size: [3, 6], inChannels: 64, outChannels: 24, bias: false, relu: false },
  // 5×5 (2×2 output tiles, padding 2): odd sizes, a single pixel, partial 8-lane groups.
  { kernel: 5, batch: 2, size: [7, 9], inChannels: 16, outChannels: 20, bias: true, relu: true },
  { kernel: 5, batch: 3, size: [5, 3], inChannels: 21, outChannels: 17, bias: false, relu: false },
  { kernel: 5, batch: 1, size: [1, 1], inChannels: 32, outChannels: 16, bias: true, relu: false },
  { kernel: 5, batch: 2, size: [14, 14], inChannels: 32, outChannels: 64, bias: true, relu: true },
];

function describeCase(c: WinogradCase): string {
  const epilogue = `${c.bias ? '+bias' : ''}${c.relu ? '+relu' : ''}`;
  const k = c.kernel ?? 3;
  return `${k}×${k} n${c.batch} ${c.size.join('x')}x${c.inChannels}→${c.outChannels}${epilogue}`;
}

function filterShape(c: WinogradCase): Shape4 {
  const k = c.kernel ?? 3;
  return [k, k, c.inChannels, c.outChannels];
}

function inputShape(c: WinogradCase): Shape4 {
  return [c.batch, c.size[0], c.size[1], c.inChannels];
}

/** The native geometry of a stride-1 convolution, as the kernels compute it. */
function geometry(
  xShape: Shape4,
  wShape: Shape4,
  pad: 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]],
  stride = 1,
  dilation = 1,
): Int32Array {
  return convGeometry(
    convInfo(xShape, wShape, { strides: stride, pad, dimRoundingMode: undefined }, dilation),
  );
}

interface Outputs {
  y: Float32Array;
  dx: Float32Array;
}

/** y = fused conv2d (bias, ReLU as the case says) and dx = the input gradient at a random dy. */
async function outputs(backend: 'wasm' | 'cpu', c: WinogradCase, seed: number): Promise<Outputs> {
  await useBackend(backend);
  const xShape = inputShape(c);
  const wShape = filterShape(c);
  const heScale = Math.sqrt(2 / ((c.kernel ?? 3) ** 2 * c.inChannels));
  const x = tf.tensor4d(randomValues(size(xShape), seed), xShape);
  const w = tf.mul<tf.Tensor4D>(tf.tensor4d(randomValues(size(wShape), seed + 1), wShape), heScale);
  const bias = c.bias ? tf.tensor1d(randomValues(c.outChannels, seed + 2)) : undefined;
  const y = tf.fused.conv2d({
    x,
    filter: w,
    strides: 1,
    pad: 'same',
    bias,
    activation: c.relu ? 'relu' : 'linear',
  });
  const dy = tf.tensor4d(randomValues(size(y.shape), seed + 3), y.shape);
  const dx = tf.conv2dTranspose(dy, w, xShape, 1, 'same');
  const result = { y: (await y.data()) as Float32Array, dx: (await dx.data()) as Float32Array };
  tf.dispose([x, w, y, dy, dx, ...(bias === undefined ? [] : [bias])]);
  return result;
}

describe.skipIf(turnedOff)('native Winograd convolutions', () => {
  let addon: NativeKernelAddon;

  beforeAll(async () => {
    await useBackend('wasm');
    expect(registerNativeKernels('wasm').active).toBe(true);
    const load = loadNativeAddon();
    if (!load.ok) throw new Error(load.reason);
    addon = load.addon;
  });

  afterAll(() => {
    addon.allowWinograd(true);
    setNativeKernelThreads(0, {});
  });

  it.each(cases.map((c, i) => [describeCase(c), c, i] as const))(
    '%s: forward and input gradient take Winograd and match cpu',
    async (_name, c, i) => {
      setNativeKernelThreads(1 + (i % 3), {});
      expect(addon.conv2dAlgorithms(geometry(inputShape(c), filterShape(c), 'same'))).toEqual({
        forward: 'winograd',
        inputGradient: 'winograd',
      });
      const reference = await outputs('cpu', c, 500 + 10 * i);
      const actual = await outputs('wasm', c, 500 + 10 * i);
      expect(actual.y.length).toBe(reference.y.length);
      expect(maxRelativeError(actual.y, reference.y)).toBeLessThan(1e-4);
      expect(maxRelativeError(actual.dx, reference.dx)).toBeLessThan(1e-4);
    },
  );

  // The W4 layers' shapes (CIFAR CNN at batch 8 rather than 64, to keep the test short), and
  // W1's second layer (the Madry MNIST CNN's 5×5, 32 → 64 at 14×14). The last three are
  // ResNet-style deep layers (cin + cout ≥ 342), which take winograd.c's staged path: one block
  // of 32 tiles, a partial lane group on both sides, and 72 tiles in two blocks (64 + 8).
  it.each([
    [3, 32, 32, 32],
    [3, 16, 32, 64],
    [3, 16, 64, 64],
    [5, 14, 32, 64],
    [3, 8, 256, 256],
    [3, 4, 200, 180],
    [3, 12, 180, 200],
  ] as const)(
    'a side-%i filter on side-%i images, %i → %i channels, matches cpu over several blocks',
    async (kernel, extent, inChannels, outChannels) => {
      setNativeKernelThreads(2, {});
      const c: WinogradCase = {
        kernel,
        batch: 8,
        size: [extent, extent],
        inChannels,
        outChannels,
        bias: true,
        relu: true,
      };
      const reference = await outputs('cpu', c, 700 + inChannels + outChannels);
      const actual = await outputs('wasm', c, 700 + inChannels + outChannels);
      expect(maxRelativeError(actual.y, reference.y)).toBeLessThan(1e-4);
      expect(maxRelativeError(actual.dx, reference.dx)).toBeLessThan(1e-4);
    },
  );

  // Blocked: 9 images of 16×16 are 144 tiles, 4 GEMM blocks at 32 + 32 channels, which 3 threads
  // split unevenly. Staged (192 + 192 channels): 9 images of 12×12 are 81 tiles, two blocks of
  // GEMMs per position, 72 (position, block) products. Every float must come out the same.
  it.each([
    [16, 32, 32],
    [12, 192, 192],
  ] as const)(
    'side %i, %i → %i channels: forward and input gradient are bitwise the same on 1, 2 and 3 threads',
    async (extent, inChannels, outChannels) => {
      const c: WinogradCase = {
        batch: 9,
        size: [extent, extent],
        inChannels,
        outChannels,
        bias: true,
        relu: true,
      };
      const results: Outputs[] = [];
      for (const threads of [1, 2, 3]) {
        setNativeKernelThreads(threads, {});
        results.push(await outputs('wasm', c, 811));
      }
      for (const other of results.slice(1)) {
        expect(other.y).toEqual(results[0]?.y);
        expect(other.dx).toEqual(results[0]?.dx);
      }
    },
  );

  it('every other convolution shape takes im2col', () => {
    const x32: Shape4 = [2, 12, 12, 32];
    const w3x3: Shape4 = [3, 3, 32, 32];
    const im2col = { forward: 'im2col', inputGradient: 'im2col' };
    // The first layer (3 input channels): forward and the 32 → 3 input gradient.
    expect(addon.conv2dAlgorithms(geometry([2, 12, 12, 3], [3, 3, 3, 32], 'same'))).toEqual(im2col);
    // 8 channels on one side only: too few for either direction's GEMMs.
    expect(addon.conv2dAlgorithms(geometry(x32, [3, 3, 32, 8], 'same'))).toEqual(im2col);
    expect(addon.conv2dAlgorithms(geometry(x32, w3x3, 'same', 2))).toEqual(im2col);
    expect(addon.conv2dAlgorithms(geometry(x32, w3x3, 'valid'))).toEqual(im2col);
    expect(addon.conv2dAlgorithms(geometry(x32, w3x3, 'same', 1, 2))).toEqual(im2col);
    // 5×5 only padded by 2 ('same'); 7×7 not at all.
    expect(addon.conv2dAlgorithms(geometry(x32, [5, 5, 32, 32], 'valid'))).toEqual(im2col);
    expect(addon.conv2dAlgorithms(geometry(x32, [7, 7, 32, 32], 'same'))).toEqual(im2col);
    expect(addon.conv2dAlgorithms(geometry(x32, [5, 5, 32, 32], 'same'))).toEqual({
      forward: 'winograd',
      inputGradient: 'winograd',
    });
    expect(addon.conv2dAlgorithms(geometry(x32, [1, 1, 32, 32], 'same'))).toEqual(im2col);
    const shifted: [[0, 0], [number, number], [number, number], [0, 0]] = [
      [0, 0],
      [2, 0],
      [1, 1],
      [0, 0],
    ];
    expect(addon.conv2dAlgorithms(geometry(x32, w3x3, shifted))).toEqual(im2col);
    // A qualifying shape with Winograd turned off on this thread.
    addon.allowWinograd(false);
    expect(addon.conv2dAlgorithms(geometry(x32, w3x3, 'same'))).toEqual(im2col);
    addon.allowWinograd(true);
    expect(addon.conv2dAlgorithms(geometry(x32, w3x3, 'same'))).toEqual({
      forward: 'winograd',
      inputGradient: 'winograd',
    });
  });

  // Through the kernels themselves: turning Winograd off changes no float of a shape that does
  // not qualify (it ran im2col both times), and changes the rounding of one that does.
  it('turning Winograd off changes only the shapes that qualify', async () => {
    setNativeKernelThreads(2, {});
    const firstLayer: WinogradCase = {
      batch: 3,
      size: [12, 12],
      inChannels: 3,
      outChannels: 32,
      bias: true,
      relu: true,
    };
    const qualifying: WinogradCase = { ...firstLayer, inChannels: 32 };
    const run = async (c: WinogradCase, allow: boolean): Promise<Outputs> => {
      addon.allowWinograd(allow);
      try {
        return await outputs('wasm', c, 901);
      } finally {
        addon.allowWinograd(true);
      }
    };
    const oldPath = await run(firstLayer, false);
    const newPath = await run(firstLayer, true);
    expect(newPath.y).toEqual(oldPath.y);
    expect(newPath.dx).toEqual(oldPath.dx);
    const im2col = await run(qualifying, false);
    const winograd = await run(qualifying, true);
    expect(winograd.y).not.toEqual(im2col.y);
    expect(winograd.dx).not.toEqual(im2col.dx);
    expect(maxRelativeError(winograd.y, im2col.y)).toBeLessThan(1e-4);
    expect(maxRelativeError(winograd.dx, im2col.dx)).toBeLessThan(1e-4);
  });

  // The error at any weight scale, against a float64 direct convolution: N(0, 1) weights make
  // outputs of RMS √(k²·cin) ≈ 17 (3×3) or 30 (5×5); the worst error stays a small fraction of it.
  it.each([3, 5])('a side-%i filter: forward error below 3e-5 of the output RMS (float64)', (k) => {
    setNativeKernelThreads(2, {});
    const [n, h, w, cin, cout] = [2, 9, 11, 36, 24];
    const pad = (k - 1) / 2;
    const x = randomValues(n * h * w * cin, 1001);
    const filter = randomValues(k * k * cin * cout, 1002);
    const y = new Float32Array(n * h * w * cout);
    addon.conv2dForward(
      x,
      filter,
      y,
      geometry([n, h, w, cin], [k, k, cin, cout], 'same'),
      null,
      false,
    );
    const exact = new Float64Array(y.length);
    for (let image = 0; image < n; image++) {
      for (let oy = 0; oy < h; oy++) {
        for (let ox = 0; ox < w; ox++) {
          const out = ((image * h + oy) * w + ox) * cout;
          for (let ky = 0; ky < k; ky++) {
            for (let kx = 0; kx < k; kx++) {
              const iy = oy + ky - pad;
              const ix = ox + kx - pad;
              if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
              for (let ci = 0; ci < cin; ci++) {
                const value = x[((image * h + iy) * w + ix) * cin + ci] ?? NaN;
                const taps = ((ky * k + kx) * cin + ci) * cout;
                for (let co = 0; co < cout; co++) {
                  exact[out + co] = (exact[out + co] ?? NaN) + value * (filter[taps + co] ?? NaN);
                }
              }
            }
          }
        }
      }
    }
    let worst = 0;
    let squares = 0;
    for (let i = 0; i < y.length; i++) {
      const expected = exact[i] ?? NaN;
      worst = Math.max(worst, Math.abs((y[i] ?? NaN) - expected));
      squares += expected * expected;
    }
    const rms = Math.sqrt(squares / y.length);
    expect(rms).toBeGreaterThan(10);
    expect(worst / rms).toBeLessThan(3e-5);
  });
});
