/**
 * Elementwise activations; layout-free, so an NHWC value stays NHWC.
 *   Relu max(x,0) · LeakyRelu x<0 ? αx : x (α = 0.01) · Sigmoid 1/(1+e^−x) · Tanh
 *   Softplus ln(1+eˣ) · Elu x<0 ? α(eˣ−1) : x (α = 1)
 * Clip: min/max as attributes before opset 11, as optional constant inputs from 11 on; a
 * missing bound is no bound.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NodeAttributes } from '../attributes';
import { onnxOpAttributes, type OnnxOpType } from '../onnx-op-catalog';
import type { OpTranslator } from '../op-registry';
import { kernel, Refusal, requireInput, type ValueInfo } from '../values';

function unary(
  opType: OnnxOpType,
  make: (attributes: NodeAttributes) => (x: tf.Tensor) => tf.Tensor,
): OpTranslator {
  return {
    opType,
    attributes: onnxOpAttributes[opType],
    translate(node, inputs) {
      const x = requireInput(inputs[0], 'input X');
      if (x.dtype !== 'float32')
        throw new Refusal(`${x.dtype} input is not supported (float only)`);
      const f = make(node.attributes);
      return kernel(([input]) => {
        const v = requireInput(input, 'X');
        return [{ tensor: f(v.tensor), layout: v.layout }];
      });
    },
  };
}

function scalarBound(info: ValueInfo | undefined, what: string): number | undefined {
  if (info === undefined) return undefined;
  if (info.constant === undefined || info.constant.size !== 1) {
    throw new Refusal(`${what} must be a constant scalar`);
  }
  return info.constant.dataSync()[0];
}

const clip: OpTranslator = {
  opType: 'Clip',
  attributes: onnxOpAttributes.Clip,
  translate(node, inputs, context) {
    const x = requireInput(inputs[0], 'input');
    if (x.dtype !== 'float32') throw new Refusal(`${x.dtype} input is not supported (float only)`);
    const a = node.attributes;
    const low =
      context.opset < 11 ? a.float('min', -Infinity) : (scalarBound(inputs[1], 'min') ?? -Infinity);
    const high =
      context.opset < 11 ? a.float('max', Infinity) : (scalarBound(inputs[2], 'max') ?? Infinity);
    return kernel(([input]) => {
      const v = requireInput(input, 'input');
      let y = v.tensor;
      if (low > -Infinity) y = tf.maximum(y, low);
      if (high < Infinity) y = tf.minimum(y, high);
      // min > max: ONNX (like NumPy's clip) gives max everywhere; the two steps above do too.
      return [{ tensor: y, layout: v.layout }];
    });
  },
};

export const activations: OpTranslator[] = [
  unary('Relu', () => tf.relu),
  unary('LeakyRelu', (a) => {
    const alpha = a.float('alpha', 0.01);
    return (x) => tf.leakyRelu(x, alpha);
  }),
  unary('Sigmoid', () => tf.sigmoid),
  unary('Tanh', () => tf.tanh),
  unary('Softplus', () => tf.softplus),
  unary('Elu', (a) => {
    const alpha = a.float('alpha', 1);
    // tf.elu has α = 1 only: α·(eˣ − 1) below zero is written out for other α.
    return alpha === 1 ? tf.elu : (x) => tf.where(tf.greater(x, 0), x, tf.mul(alpha, tf.expm1(x)));
  }),
  clip,
];
