import * as tf from '@tensorflow/tfjs-core';

/** ‖v_n‖₂ for each example of [N,H,W,C], shaped [N,1,1,1] to broadcast back over the image. */
export function l2NormPerExample(v: tf.Tensor4D): tf.Tensor4D {
  const n = v.shape[0];
  return tf.reshape(tf.sqrt(tf.sum(tf.square(tf.reshape(v, [n, -1])), 1)), [n, 1, 1, 1]);
}

/** ‖v_n‖∞ for each example of [N,H,W,C], shaped [N]. */
export function linfNormPerExample(v: tf.Tensor4D): tf.Tensor1D {
  return tf.max(tf.abs(tf.reshape(v, [v.shape[0], -1])), 1);
}

export function clipToPixelRange(x: tf.Tensor4D): tf.Tensor4D {
  return tf.clipByValue(x, 0, 1);
}
