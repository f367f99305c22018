/**
 * A labelled image set kept as the typed arrays that arrived from the core; batch tensors are
 * cut from it on demand, so a 50k-image dataset never sits on the backend as one big tensor.
 * uint8 pixels are scaled by 1/255; float32 pixels are taken as they are (already in [0,1]).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ImageBatch } from '../engine-types';

export interface LabelledBatch {
  images: tf.Tensor4D;
  labels: tf.Tensor1D;
}

export class ImageSource {
  readonly count: number;
  readonly imageShape: [number, number, number];
  private readonly imageSize: number;

  constructor(
    private readonly batch: ImageBatch,
    readonly labels: Int32Array,
    numClasses: number,
    what: string,
  ) {
    const [n, h, w, c] = batch.shape;
    for (const size of batch.shape) {
      if (!Number.isInteger(size) || size < 0)
        throw new Error(`${what}: bad image shape [${batch.shape.join(', ')}]`);
    }
    if (n < 1) throw new Error(`${what}: no images`);
    this.count = n;
    this.imageShape = [h, w, c];
    this.imageSize = h * w * c;
    if (batch.data.length !== n * this.imageSize) {
      throw new Error(
        `${what}: shape [${batch.shape.join(', ')}] needs ${n * this.imageSize} values, got ${batch.data.length}`,
      );
    }
    if (labels.length !== n) throw new Error(`${what}: ${n} images but ${labels.length} labels`);
    for (let i = 0; i < labels.length; i++) {
      const label = labels[i] ?? -1;
      if (label < 0 || label >= numClasses) {
        throw new Error(`${what}: label ${label} of image ${i} is outside 0..${numClasses - 1}`);
      }
    }
    if (batch.data instanceof Float32Array) {
      for (let i = 0; i < batch.data.length; i++) {
        const v = batch.data[i] ?? NaN;
        if (!(v >= 0 && v <= 1))
          throw new Error(`${what}: float pixels must lie in [0,1], found ${v}`);
      }
    }
  }

  /** Pixels of the given images as float32 in [0,1], N·H·W·C. */
  pixels(indices: ArrayLike<number>): Float32Array {
    const size = this.imageSize;
    const out = new Float32Array(indices.length * size);
    const data = this.batch.data;
    const scale = data instanceof Uint8Array ? 1 / 255 : 1;
    for (let i = 0; i < indices.length; i++) {
      const start = (indices[i] ?? 0) * size;
      if (scale === 1) {
        out.set(data.subarray(start, start + size), i * size);
      } else {
        for (let j = 0; j < size; j++) out[i * size + j] = (data[start + j] ?? 0) * scale;
      }
    }
    return out;
  }

  take(indices: ArrayLike<number>): LabelledBatch {
    const [h, w, c] = this.imageShape;
    const labels = new Int32Array(indices.length);
    for (let i = 0; i < indices.length; i++) labels[i] = this.labels[indices[i] ?? 0] ?? 0;
    return {
      images: tf.tensor4d(this.pixels(indices), [indices.length, h, w, c]),
      labels: tf.tensor1d(labels, 'int32'),
    };
  }
}

/** Indices start, start+1, … up to end (exclusive), for walking a set in order. */
export function indexRange(start: number, end: number): Int32Array {
  const out = new Int32Array(Math.max(0, end - start));
  for (let i = 0; i < out.length; i++) out[i] = start + i;
  return out;
}
