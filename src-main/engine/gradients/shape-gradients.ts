/**
 * Gradients of the kernels that only move or sum values.
 *   Reshape: reshape dy back.   Transpose(perm): transpose dy by the inverse permutation.
 *   Sum over axes: broadcast dy back over those axes.   Mean: the same divided by the count.
 *   Slice(begin, size): dy zero-padded back to the input's shape.
 *   PadV2(paddings): dy with the padding cut off (the padded cells do not depend on x).
 *   Reverse(dims): dy reversed along the same axes (a permutation of x, its own inverse).
 *   Cast: dy itself for a float input (tf.avgPool casts its result back to the input's dtype);
 *   an integer input has no gradient.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';
import { attrsAs, savedTensor, singleDy } from './gradient-helpers';

function broadcastBack(
  dy: Tensor,
  x: Tensor,
  attrs: NamedAttrMap,
): { expanded: Tensor; count: number } {
  const { axis } = attrsAs<{ axis: number | number[] }>(attrs);
  const axes = tf.util.parseAxisParam(axis, x.shape);
  const keptShape = x.shape.map((size, i) => (axes.includes(i) ? 1 : size));
  const count = axes.reduce((product, i) => product * (x.shape[i] ?? 1), 1);
  return { expanded: tf.mul(tf.reshape(dy, keptShape), tf.ones(x.shape, 'float32')), count };
}

export const shapeGradients: GradConfig[] = [
  {
    kernelName: 'Slice',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const x = savedTensor(saved, 0, 'Slice');
      const { begin, size } = attrsAs<{ begin: number | number[]; size: number | number[] }>(attrs);
      const [start = [], length = []] = tf.slice_util.parseSliceParams(x, begin, size);
      const paddings = x.shape.map((extent, i): [number, number] => {
        const from = start[i] ?? 0;
        return [from, extent - from - (length[i] ?? 0)];
      });
      return { x: () => tf.pad(singleDy(dy), paddings) };
    },
  },
  {
    kernelName: 'Cast',
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => {
      const x = savedTensor(saved, 0, 'Cast');
      if (x.dtype !== 'float32') throw new Error(`Cast gradient: ${x.dtype} input has none`);
      return { x: () => tf.cast(singleDy(dy), 'float32') };
    },
  },
  {
    kernelName: 'PadV2',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const x = savedTensor(saved, 0, 'PadV2');
      const { paddings } = attrsAs<{ paddings: [number, number][] }>(attrs);
      const begin = paddings.map(([before]) => before);
      return { x: () => tf.slice(singleDy(dy), begin, x.shape) };
    },
  },
  {
    kernelName: 'Reverse',
    gradFunc: (dy, _saved, attrs) => {
      const { dims } = attrsAs<{ dims: number | number[] }>(attrs);
      return { x: () => tf.reverse(singleDy(dy), dims) };
    },
  },
  {
    kernelName: 'Reshape',
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => ({
      x: () => tf.reshape(singleDy(dy), savedTensor(saved, 0, 'Reshape').shape),
    }),
  },
  {
    kernelName: 'Transpose',
    gradFunc: (dy, _saved, attrs) => {
      const { perm } = attrsAs<{ perm: number[] }>(attrs);
      const inverse = tf.backend_util.getUndoAxesPermutation(perm);
      return { x: () => tf.transpose(singleDy(dy), inverse) };
    },
  },
  {
    kernelName: 'Sum',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => ({
      x: () => broadcastBack(singleDy(dy), savedTensor(saved, 0, 'Sum'), attrs).expanded,
    }),
  },
  {
    kernelName: 'Mean',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => ({
      x: () => {
        const { expanded, count } = broadcastBack(
          singleDy(dy),
          savedTensor(saved, 0, 'Mean'),
          attrs,
        );
        return tf.div(expanded, count);
      },
    }),
  },
];
