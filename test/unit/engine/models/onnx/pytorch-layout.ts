/** Test helpers shared by the PyTorch-fixture tests: PyTorch's NCHW arrays ↔ the engine's NHWC. */
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
