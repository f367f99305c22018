/**
 * Test helpers shared by the PyTorch-fixture tests (test/reference/onnx_fixtures.py): the
 * fixtures' description, PyTorch's NCHW arrays ↔ the engine's NHWC, and the error measure.
 */
import * as tf from '@tensorflow/tfjs-core';

/** A flat NCHW array (PyTorch's layout) as an NHWC tensor [N, H, W, C]. */
export function nchwToNhwc(values: number[], [n, c, h, w]: number[]): tf.Tensor4D {
  return tf.tidy(() =>
    tf.transpose(tf.tensor4d(values, [n ?? 0, c ?? 0, h ?? 0, w ?? 0]), [0, 2, 3, 1]),
  );
}

/** An NHWC tensor's values in NCHW order, to compare with PyTorch's flat arrays. */
export function nhwcToNchwValues(x: tf.Tensor4D): Float32Array {
  return tf.tidy(() => tf.transpose(x, [0, 3, 1, 2]).dataSync() as Float32Array);
}

/** One model written by test/reference/onnx_fixtures.py, with PyTorch's outputs on its batch. */
export interface PyTorchFixture {
  name: string;
  file: string;
  /** [C, H, W] as PyTorch takes it. */
  inputShape: [number, number, number];
  /** The batch, flat NCHW. */
  images: number[];
  labels: number[];
  logits: number[];
  /** ∇ₓ of the summed cross-entropy, flat NCHW. */
  gradient: number[];
}

/** A flat NCHW array as flat NHWC values (for image batches stored by the core). */
export function nchwToNhwcValues(
  values: readonly number[],
  [c, h, w]: readonly number[],
): Float32Array {
  const [C, H, W] = [c ?? 0, h ?? 0, w ?? 0];
  const n = values.length / (C * H * W);
  const out = new Float32Array(values.length);
  for (let i = 0; i < n; i++)
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++)
        for (let k = 0; k < C; k++)
          out[((i * H + y) * W + x) * C + k] = values[((i * C + k) * H + y) * W + x] ?? NaN;
  return out;
}

/** max |a − b| (NaN anywhere: Infinity), reported beside the relative error below. */
export function maxAbsoluteDifference(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
): number {
  let difference = 0;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs((actual[i] ?? NaN) - (expected[i] ?? NaN));
    difference = Number.isNaN(d) ? Infinity : Math.max(difference, d);
  }
  return difference;
}

/** max |a − b| / max |b|: the error relative to the largest value (NaN anywhere: Infinity). */
export function errorRelativeToScale(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
): number {
  if (actual.length !== expected.length)
    throw new Error(`length ${actual.length} ≠ ${expected.length}`);
  let difference = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i] ?? NaN;
    const d = Math.abs((actual[i] ?? NaN) - e);
    difference = Number.isNaN(d) ? Infinity : Math.max(difference, d);
    scale = Math.max(scale, Math.abs(e));
  }
  return difference / scale;
}

/**
 * The fixtures of test/reference/onnx_fixtures.py that both the PyTorch and the onnxruntime
 * comparisons run (its unsupported-op model is refused; see onnx-import.test.ts).
 */
export const comparedFixtureModels = [
  'batchnorm-cnn',
  'normalized-cnn',
  'preact-resnet18',
  'activations-cnn',
  'wide-resnet-16-2',
  'dilated-cnn',
  'indexing-cnn',
] as const;
