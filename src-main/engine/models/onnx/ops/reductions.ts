/**
 * ReduceMean (axes as an attribute before opset 18, as an input from 18 on; keepdims default 1;
 * no axes = all axes, unless noop_with_empty_axes). On an NHWC value the logical axes map to the
 * physical ones (N→0, C→3, H→1, W→2); with keepdims the result stays NHWC, without it the result
 * is logical, taken from the physical result only where that keeps the logical order.
 *
 * Softmax / LogSoftmax: along `axis` (default −1) from opset 13 on; before 13 over the input
 * flattened to 2-D at `axis` (default 1). A graph's final Softmax is stripped at import (attacks
 * need logits, see translate-graph.ts); where it is not, it is computed.
 */
import * as tf from '@tensorflow/tfjs-core';
import { onnxOpAttributes, type OnnxOpType } from '../onnx-op-catalog';
import type { OpTranslator } from '../op-registry';
import { logical, nhwcValue, onnxValue } from '../layout';
import { kernel, requireInput } from '../values';
import { axesOf, normalizeAxis } from './static-ints';

const physicalAxis = [0, 3, 1, 2];

const reduceMean: OpTranslator = {
  opType: 'ReduceMean',
  attributes: onnxOpAttributes.ReduceMean,
  translate(node, inputs, context) {
    const x = requireInput(inputs[0], 'data');
    const rank = x.shape.length;
    const a = node.attributes;
    const keep = a.int('keepdims', 1) === 1;
    const given = axesOf(a.ints('axes'), inputs[1], context.opset >= 18);
    if ((given === undefined || given.length === 0) && a.int('noop_with_empty_axes', 0) === 1) {
      return kernel(([v]) => [requireInput(v, 'data')]);
    }
    const axes = (given ?? Array.from({ length: rank }, (_, i) => i)).map((axis) =>
      normalizeAxis(axis, rank),
    );
    const kept = Array.from({ length: rank }, (_, i) => i).filter((i) => !axes.includes(i));
    const keptPhysical = kept.map((i) => physicalAxis[i] ?? i);
    const physicalKeepsOrder = keptPhysical.every(
      (p, i) => i === 0 || p > (keptPhysical[i - 1] ?? -1),
    );
    return kernel(([input]) => {
      const v = requireInput(input, 'data');
      if (v.layout === 'nhwc' && (keep || physicalKeepsOrder)) {
        const y = tf.mean(
          v.tensor,
          axes.map((i) => physicalAxis[i] ?? i),
          keep,
        );
        return [keep ? nhwcValue(y) : onnxValue(y)];
      }
      return [onnxValue(tf.mean(logical(v), axes, keep))];
    });
  },
};

function softmaxFamily(opType: OnnxOpType, f: (logits: tf.Tensor) => tf.Tensor): OpTranslator {
  return {
    opType,
    attributes: onnxOpAttributes[opType],
    translate(node, inputs, context) {
      const rank = requireInput(inputs[0], 'input').shape.length;
      const legacy = context.opset < 13;
      const axis = normalizeAxis(node.attributes.int('axis', legacy ? 1 : -1), rank);
      return kernel(([input]) => {
        const x = logical(requireInput(input, 'input'));
        if (legacy) {
          const rows = x.shape.slice(0, axis).reduce((p, d) => p * d, 1);
          return [onnxValue(tf.reshape(f(tf.reshape(x, [rows, -1])), x.shape))];
        }
        if (axis === rank - 1) return [onnxValue(f(x))];
        // tf.softmax works on the last axis: move `axis` there and back.
        const perm = Array.from({ length: rank }, (_, i) => i).filter((i) => i !== axis);
        perm.push(axis);
        const inverse = perm.map((_, i) => perm.indexOf(i));
        return [onnxValue(tf.transpose(f(tf.transpose(x, perm)), inverse))];
      });
    },
  };
}

export const reductions: OpTranslator[] = [
  reduceMean,
  softmaxFamily('Softmax', (x) => tf.softmax(x)),
  softmaxFamily('LogSoftmax', (x) => tf.logSoftmax(x)),
];
