/**
 * Shared by the kernel tests: seeded random tensors, the conv cases, and one case's forward
 * output and both gradients on a given backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../use-backend';

export type Shape4 = [number, number, number, number];

export interface ConvCase {
  batch: number;
  size: [number, number];
  inChannels: number;
  outChannels: number;
  kernel: number;
  stride: 1 | 2;
  dilation: 1 | 2;
  pad: 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];
}

/** Strides, paddings (same, valid, explicit asymmetric) and dilations the model zoo uses, and more. */
export function convCases(): ConvCase[] {
  const list: ConvCase[] = [];
  let i = 0;
  const pads: ConvCase['pad'][] = [
    'same',
    'valid',
    [
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0],
    ],
  ];
  for (const stride of [1, 2] as const) {
    for (const pad of pads) {
      for (const kernel of [1, 3, 5]) {
        for (const [inChannels, outChannels] of [
          [1, 4],
          [3, 8],
          [6, 5],
        ] as const) {
          // tfjs allows a dilation > 1 only at stride 1.
          const dilation = stride === 1 && i % 2 === 1 ? 2 : 1;
          const size: [number, number] = [8 + (i % 4), 9 + ((i * 3) % 5)];
          list.push({
            batch: 1 + (i % 3),
            size,
            inChannels,
            outChannels,
            kernel,
            stride,
            dilation,
            pad,
          });
          i++;
        }
      }
    }
  }
  return list;
}

export function describeConvCase(c: ConvCase): string {
  const pad = typeof c.pad === 'string' ? c.pad : `pad${JSON.stringify(c.pad.slice(1, 3))}`;
  return `n${c.batch} ${c.size.join('x')}x${c.inChannels}→${c.outChannels} k${c.kernel} s${c.stride} d${c.dilation} ${pad}`;
}

export function randomValues(length: number, seed: number): Float32Array {
  const values = tf.randomNormal([length], 0, 1, 'float32', seed);
  const data = values.dataSync() as Float32Array;
  values.dispose();
  return data;
}

export function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export interface ConvResults {
  y: Float32Array;
  dx: Float32Array;
  dw: Float32Array;
}

/** y = conv2d(x, w); dx and dw at a random dy (empty at dilation > 1, which tfjs does not differentiate). */
export async function convResults(
  backend: 'wasm' | 'cpu',
  c: ConvCase,
  seed: number,
): Promise<ConvResults> {
  await useBackend(backend);
  const xShape: Shape4 = [c.batch, c.size[0], c.size[1], c.inChannels];
  const wShape: Shape4 = [c.kernel, c.kernel, c.inChannels, c.outChannels];
  const x = tf.tensor4d(randomValues(size(xShape), seed), xShape);
  const w = tf.tensor4d(randomValues(size(wShape), seed + 1), wShape);
  const y = tf.conv2d(x, w, c.stride, c.pad, 'NHWC', c.dilation);
  const dy = tf.tensor4d(randomValues(size(y.shape), seed + 2), y.shape);
  const results: ConvResults = {
    y: (await y.data()) as Float32Array,
    dx: new Float32Array(),
    dw: new Float32Array(),
  };
  // tfjs differentiates conv2d only at dilation 1.
  if (c.dilation === 1) {
    const dx = tf.conv2dTranspose(dy, w, xShape, c.stride, c.pad);
    const dw = tf
      .engine()
      .runKernel(
        'Conv2DBackpropFilter',
        { x, dy },
        { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', filterShape: wShape },
      ) as tf.Tensor;
    results.dx = (await dx.data()) as Float32Array;
    results.dw = (await dw.data()) as Float32Array;
    tf.dispose([dx, dw]);
  }
  tf.dispose([x, w, y, dy]);
  return results;
}
