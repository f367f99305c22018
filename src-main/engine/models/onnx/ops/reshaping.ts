/**
 * Ops that address axes by number, on the logical (ONNX-layout) tensor: Flatten, Reshape,
 * Transpose, Unsqueeze, Squeeze; and Concat, which stays NHWC for a channel concatenation of
 * NHWC values (logical axis 1 = physical axis 3). An NHWC value entering Flatten is first put
 * back to NCHW, so the flattened order (c, h, w) is PyTorch's and the next Gemm's weights need
 * no permutation.
 */
import * as tf from '@tensorflow/tfjs-core';
import { onnxOpAttributes } from '../onnx-op-catalog';
import type { OpTranslator } from '../op-registry';
import { asNhwcOperand, logical, nhwcValue, onnxValue } from '../layout';
import { kernel, Refusal, requireInput, type Dim, type Translation } from '../values';
import { axesOf, ints, normalizeAxis, symbolicInts } from './static-ints';

function product(values: readonly number[]): number {
  return values.reduce((a, b) => a * b, 1);
}

const flatten: OpTranslator = {
  opType: 'Flatten',
  attributes: onnxOpAttributes.Flatten,
  translate(node, inputs) {
    const rank = requireInput(inputs[0], 'input').shape.length;
    const axis = node.attributes.int('axis', 1);
    const split = axis < 0 ? axis + rank : axis;
    if (split < 0 || split > rank)
      throw new Refusal(`axis ${axis} is out of range for rank ${rank}`);
    return kernel(([input]) => {
      const x = logical(requireInput(input, 'input'));
      return [
        onnxValue(tf.reshape(x, [product(x.shape.slice(0, split)), product(x.shape.slice(split))])),
      ];
    });
  },
};

/**
 * Reshape: the target may hold 0 (copy that input size, unless allowzero), −1 (infer) and 'N'
 * (the batch size of the run, from a folded Shape → Gather → Concat chain).
 */
const reshape: OpTranslator = {
  opType: 'Reshape',
  attributes: onnxOpAttributes.Reshape,
  translate(node, inputs) {
    requireInput(inputs[0], 'data');
    const target = symbolicInts(inputs[1], 'the target shape').values;
    const allowZero = node.attributes.int('allowzero', 0) === 1;
    return kernel(([input], run) => {
      const x = logical(requireInput(input, 'data'));
      const shape = target.map((d, i) => {
        if (d === 'N') return run.batch;
        if (d === 0 && !allowZero) return x.shape[i] ?? 0;
        return d;
      });
      return [onnxValue(tf.reshape(x, shape))];
    });
  },
};

const transpose: OpTranslator = {
  opType: 'Transpose',
  attributes: onnxOpAttributes.Transpose,
  translate(node, inputs) {
    const rank = requireInput(inputs[0], 'data').shape.length;
    const perm =
      node.attributes.ints('perm') ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
    return kernel(([input]) => [
      onnxValue(tf.transpose(logical(requireInput(input, 'data')), perm)),
    ]);
  },
};

/** Unsqueeze: axes as an attribute before opset 13, as an input from 13 on. */
const unsqueeze: OpTranslator = {
  opType: 'Unsqueeze',
  attributes: onnxOpAttributes.Unsqueeze,
  translate(node, inputs, context): Translation {
    const data = requireInput(inputs[0], 'data');
    const axes = axesOf(node.attributes.ints('axes'), inputs[1], context.opset >= 13);
    if (axes === undefined) throw new Refusal('axes are required');
    const outRank = data.shape.length + axes.length;
    const normalized = axes.map((a) => normalizeAxis(a, outRank)).sort((a, b) => a - b);
    if (
      data.ints !== undefined &&
      data.ints.scalar &&
      normalized.length === 1 &&
      normalized[0] === 0
    ) {
      return { kind: 'ints', outputs: [ints(data.ints.values)] };
    }
    return kernel(([input]) => {
      const x = logical(requireInput(input, 'data'));
      const shape = [...x.shape];
      for (const axis of normalized) shape.splice(axis, 0, 1);
      return [onnxValue(tf.reshape(x, shape))];
    });
  },
};

const squeeze: OpTranslator = {
  opType: 'Squeeze',
  attributes: onnxOpAttributes.Squeeze,
  translate(node, inputs, context): Translation {
    const data = requireInput(inputs[0], 'data');
    const axes = axesOf(node.attributes.ints('axes'), inputs[1], context.opset >= 13);
    const rank = data.shape.length;
    const normalized =
      axes?.map((a) => normalizeAxis(a, rank)) ??
      data.shape.flatMap((d, i) => (d === 1 ? [i] : []));
    if (
      data.ints !== undefined &&
      !data.ints.scalar &&
      data.ints.values.length === 1 &&
      normalized.length === 1
    ) {
      return { kind: 'ints', outputs: [ints(data.ints.values, true)] };
    }
    return kernel(([input]) => {
      const x = logical(requireInput(input, 'data'));
      return [onnxValue(tf.squeeze(x, normalized))];
    });
  },
};

const concat: OpTranslator = {
  opType: 'Concat',
  attributes: onnxOpAttributes.Concat,
  translate(node, inputs): Translation {
    const present = inputs.map((info, i) => requireInput(info, `input ${i}`));
    const rank = present[0]?.shape.length ?? 0;
    const axis = normalizeAxis(node.attributes.int('axis', 0), Math.max(rank, 1));
    if (present.every((info) => info.ints !== undefined)) {
      const values: Dim[] = present.flatMap((info) => symbolicInts(info, 'input').values);
      return { kind: 'ints', outputs: [ints(values)] };
    }
    return kernel((values) => {
      const laid = values.map((v, i) => requireInput(v, `input ${i}`));
      if (rank === 4 && axis === 1 && laid.some((v) => v.layout === 'nhwc')) {
        const parts = laid.map((v) => (v.layout === 'nhwc' ? v.tensor : asNhwcOperand(v.tensor)));
        return [nhwcValue(tf.concat(parts, 3))];
      }
      return [onnxValue(tf.concat(laid.map(logical), axis))];
    });
  },
};

export const reshaping: OpTranslator[] = [flatten, reshape, transpose, unsqueeze, squeeze, concat];
