/**
 * Resampling by a whole factor f, as Santurkar et al.'s super-resolution notebook does it:
 *   down: each f×f block of [N,H,W,C] becomes its mean → [N,H/f,W/f,C]
 *   up:   each pixel of [N,h,w,C] becomes an f×f block of itself (nearest neighbour) → [N,h·f,w·f,C]
 * Nearest rather than bilinear upsampling because it is the exact right inverse of the block mean
 * (down(up(x)) = x): the upsampled image carries exactly the low-resolution information and
 * nothing invented by an interpolation kernel, so whatever detail appears afterwards comes from
 * the classifier's gradient, not from the resampler.
 */
import * as tf from '@tensorflow/tfjs-core';

function checkWhole(factor: number, what: string): void {
  if (!Number.isInteger(factor) || factor < 1) {
    throw new Error(`the ${what} factor must be a whole number ≥ 1, got ${String(factor)}`);
  }
}

/** Throws unless f is a whole number ≥ 1 that divides both sides. */
export function checkFactor(factor: number, height: number, width: number, what: string): void {
  checkWhole(factor, what);
  if (height % factor !== 0 || width % factor !== 0) {
    throw new Error(
      `the ${what} factor ${factor} does not divide the image size ${height}×${width}`,
    );
  }
}

/** Block means: [N,H,W,C] → [N,H/f,W/f,C]. */
export function downsampleBlocks(images: tf.Tensor4D, factor: number): tf.Tensor4D {
  const [n, h, w, c] = images.shape;
  checkFactor(factor, h, w, 'downsampling');
  return tf.tidy(() =>
    tf.mean(tf.reshape(images, [n, h / factor, factor, w / factor, factor, c]), [2, 4]),
  );
}

/** Nearest neighbour: [N,h,w,C] → [N,h·f,w·f,C], each pixel repeated over an f×f block. */
export function upsampleBlocks(images: tf.Tensor4D, factor: number): tf.Tensor4D {
  const [n, h, w, c] = images.shape;
  checkWhole(factor, 'upsampling');
  return tf.tidy(() =>
    tf.reshape(tf.tile(tf.reshape(images, [n, h, 1, w, 1, c]), [1, 1, factor, 1, factor, 1]), [
      n,
      h * factor,
      w * factor,
      c,
    ]),
  );
}
