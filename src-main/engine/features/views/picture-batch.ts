/**
 * A batch of pictures read back from the backend: what a view's compute step hands its figure
 * step in place of a tensor, so that the figure is built from plain data alone.
 */
import type * as tf from '@tensorflow/tfjs-core';

export interface PictureBatch {
  /** [N,H,W,C] images in [0,1], or [N,H,W] maps. */
  shape: number[];
  /** The N pictures' values, one after another (row-major, as the tensor held them). */
  data: Float32Array;
}

/** Reads a batch back; the caller still disposes the tensor. */
export function readPictures(batch: tf.Tensor): PictureBatch {
  return { shape: [...batch.shape], data: Float32Array.from(batch.dataSync()) };
}
