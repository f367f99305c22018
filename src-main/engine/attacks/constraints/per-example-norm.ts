import * as tf from '@tensorflow/tfjs-core';

/** ‖v_n‖₂ for each example of [N,H,W,C], shaped [N,1,1,1] to broadcast back over the image. */
export function l2NormPerExample(v: tf.Tensor4D): tf.Tensor4D {
  const n = v.shape[0];
  return tf.reshape(tf.sqrt(tf.sum(tf.square(tf.reshape(v, [n, -1])), 1)), [n, 1, 1, 1]);
}

/**
 * v_n / ‖v_n‖₂ per example, 0 where v_n = 0, at any scale of v_n. The plain v/(‖v‖ + 1e-12)
 * shrinks the step of a gradient whose norm is near or below 1e-12 (a confident image's input
 * gradient can be ~1e-13), and squaring entries below ~1e-19 underflows float32 to a norm of 0.
 * With m_n = max_i |v_n,i|, the norm of v_n/m_n is in [1, √d] and exact, and
 *   v_n / ‖v_n‖₂ = v_n · 1/(m_n · ‖v_n/m_n‖₂).
 * The per-example factors are computed on [N] tensors, so the image-sized work is six passes
 * (|v|, max, v/m, square, sum, the final product) instead of the plain form's three.
 */
export function unitDirectionPerExample(v: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const n = v.shape[0];
    const largest = tf.reshape(linfNormPerExample(v), [n, 1, 1, 1]);
    const nonZero = tf.greater(largest, 0);
    const safeLargest = tf.where(nonZero, largest, tf.onesLike(largest));
    const scaledNorm = l2NormPerExample(tf.div(v, safeLargest) as tf.Tensor4D);
    const factor = tf.where(
      nonZero,
      tf.reciprocal(tf.mul(safeLargest, scaledNorm)),
      tf.zerosLike(largest),
    );
    return tf.mul(v, factor) as tf.Tensor4D;
  });
}

/** ‖v_n‖∞ for each example of [N,H,W,C], shaped [N]. */
export function linfNormPerExample(v: tf.Tensor4D): tf.Tensor1D {
  return tf.max(tf.abs(tf.reshape(v, [v.shape[0], -1])), 1);
}

export function clipToPixelRange(x: tf.Tensor4D): tf.Tensor4D {
  return tf.clipByValue(x, 0, 1);
}
