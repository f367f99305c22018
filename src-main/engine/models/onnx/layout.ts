/**
 * Moving between the two physical layouts of a 4-D value (see values.ts):
 *   logical NCHW [N,C,H,W]  --transpose [0,2,3,1]-->  physical NHWC [N,H,W,C]
 *   physical NHWC           --transpose [0,3,1,2]-->  logical NCHW
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LaidOut } from './values';

export const toNhwcPermutation = [0, 2, 3, 1];
export const toNchwPermutation = [0, 3, 1, 2];

/** The tensor in ONNX's own (logical) layout. */
export function logical(value: LaidOut): tf.Tensor {
  return value.layout === 'nhwc' ? tf.transpose(value.tensor, toNchwPermutation) : value.tensor;
}

/** A 4-D value as physical NHWC. */
export function nhwc(value: LaidOut): tf.Tensor4D {
  if (value.tensor.rank !== 4) {
    throw new Error(`expected a 4-D tensor, got shape [${value.tensor.shape.join(', ')}]`);
  }
  const t = value.layout === 'nhwc' ? value.tensor : tf.transpose(value.tensor, toNhwcPermutation);
  return t as tf.Tensor4D;
}

/** Logical shape of a laid-out value. */
export function logicalShape(value: LaidOut): number[] {
  const s = value.tensor.shape;
  if (value.layout === 'onnx') return [...s];
  const [n, h, w, c] = s as [number, number, number, number];
  return [n, c, h, w];
}

/**
 * A logical operand of rank ≤ 4 rearranged to broadcast against an NHWC tensor: left-padded
 * with 1s to [a,b,c,d] (NumPy broadcasting aligns trailing axes), then stored as [a,c,d,b].
 * A per-channel constant [C,1,1] thus becomes [1,1,1,C].
 */
export function asNhwcOperand(t: tf.Tensor): tf.Tensor {
  if (t.rank > 4) throw new Error(`cannot broadcast a ${t.rank}-D operand against NHWC`);
  const padded = [...new Array<number>(4 - t.rank).fill(1), ...t.shape];
  return tf.transpose(tf.reshape(t, padded), toNhwcPermutation);
}

export function onnxValue(tensor: tf.Tensor): LaidOut {
  return { tensor, layout: 'onnx' };
}

export function nhwcValue(tensor: tf.Tensor): LaidOut {
  return { tensor, layout: 'nhwc' };
}
