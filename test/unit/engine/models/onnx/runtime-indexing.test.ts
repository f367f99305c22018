/**
 * Slice and Gather of run-time tensors (ops/runtime-indexing.ts) on what the backend cases and
 * the PyTorch fixtures leave out: every axis of a 4-D value fed as NHWC images (the workbench's
 * layout, so the logical axis [N,C,H,W] is read as physical [0,3,1,2]) against the same graph
 * fed in ONNX's layout, with negative and strided steps and repeated indices; and the refusal of
 * the batch axis, whose size is the run's.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  decodeModel,
  encodeModel,
  type ModelProto,
} from '../../../../../src-main/engine/models/onnx/onnx-proto';
import { OnnxDataType } from '../../../../../src-main/engine/models/onnx/onnx-tensor';
import { translateGraph } from '../../../../../src-main/engine/models/onnx/translate-graph';
import { useBackend } from '../../use-backend';

const inputShape = [2, 5, 6, 7];

/** A one-node opset-13 graph y = op(x, integer inputs…) with x [N,5,6,7] (N free). */
function model(op: string, ints: number[][], attribute?: { name: string; i: number }): ModelProto {
  const names = ints.map((_, i) => `k${i}`);
  return decodeModel(
    encodeModel({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 13 }],
      graph: {
        node: [
          {
            opType: op,
            name: op,
            input: ['x', ...names],
            output: ['y'],
            attribute: attribute ? [{ ...attribute, type: 2 }] : [],
          },
        ],
        initializer: ints.map((values, i) => ({
          name: names[i],
          dims: [values.length],
          dataType: OnnxDataType.int64,
          int64Data: values,
        })),
        input: [
          {
            name: 'x',
            type: {
              tensorType: {
                elemType: OnnxDataType.float,
                shape: {
                  dim: [{ dimParam: 'N' }, ...inputShape.slice(1).map((d) => ({ dimValue: d }))],
                },
              },
            },
          },
        ],
        output: [{ name: 'y' }],
      },
    }),
  );
}

/** y in ONNX's layout, with x fed as NHWC images and as NCHW; and their input gradients. */
function bothLayouts(m: ModelProto): { nhwc: number[]; onnx: number[] }[] {
  const x = tf.randomNormal(inputShape, 0, 1, 'float32', 1);
  const results = (['nhwc', 'onnx'] as const).map((layout) => {
    const graph = translateGraph(m, { inputLayout: layout, stripOutputSoftmax: false });
    try {
      return tf.tidy(() => {
        const fed = layout === 'nhwc' ? tf.transpose(x, [0, 2, 3, 1]) : x;
        const f = (t: tf.Tensor): tf.Tensor => graph.run(new Map([['x', t]])).get('y') ?? t;
        const y = f(fed);
        const w = tf.randomNormal(y.shape, 0, 1, 'float32', 2);
        let g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(w, f(t))))(fed);
        if (layout === 'nhwc') g = tf.transpose(g, [0, 3, 1, 2]);
        return [Array.from(y.dataSync()), Array.from(g.dataSync())];
      });
    } finally {
      graph.dispose();
    }
  });
  x.dispose();
  const [nhwc, onnx] = results;
  return [0, 1].map((i) => ({ nhwc: nhwc?.[i] ?? [], onnx: onnx?.[i] ?? [] }));
}

describe('Slice and Gather of run-time tensors', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it.each([
    [
      'Slice, every non-batch axis, steps −2, 3, 1',
      model('Slice', [
        [4, 0, 1],
        [-9, 9, -1],
        [1, 2, 3],
        [-2, 3, 1],
      ]),
    ],
    ['Slice, channels reversed', model('Slice', [[-1], [-100], [1], [-1]])],
    ['Gather, channels with a repeat', model('Gather', [[4, 0, 0, 2, 3]], { name: 'axis', i: 1 })],
    ['Gather, rows (negative index)', model('Gather', [[-1, 2]], { name: 'axis', i: 2 })],
  ])('%s: the same values and input gradient from NHWC images as from NCHW', (_, m) => {
    const [values, gradient] = bothLayouts(m);
    expect(values?.nhwc.length).toBeGreaterThan(0);
    expect(values?.nhwc).toEqual(values?.onnx);
    expect(gradient?.nhwc).toEqual(gradient?.onnx);
  });

  it.each([
    ['Slice', model('Slice', [[1], [2], [0]])],
    ['Gather', model('Gather', [[0]], { name: 'axis', i: 0 })],
  ])('%s on the batch axis is refused', (op, m) => {
    expect(() => translateGraph(m, { inputLayout: 'nhwc', stripOutputSoftmax: false })).toThrow(
      `ONNX node "${op}" (${op}): axis 0 is the batch axis, which cannot be indexed`,
    );
  });
});
