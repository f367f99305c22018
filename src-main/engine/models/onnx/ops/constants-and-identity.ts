/**
 * Constant (its value folded at import), Identity, and Dropout, which is the identity in
 * inference (opset 12+: its training_mode input must be absent or false; the mask output is
 * refused).
 */
import * as tf from '@tensorflow/tfjs-core';
import { onnxOpAttributes } from '../onnx-op-catalog';
import type { OpTranslator } from '../op-registry';
import { onnxValue } from '../layout';
import { kernel, Refusal, requireInput, type Translation } from '../values';

const constant: OpTranslator = {
  opType: 'Constant',
  attributes: onnxOpAttributes.Constant,
  translate(node): Translation {
    const a = node.attributes;
    const tensor = a.tensor('value');
    if (tensor?.kind === 'int' && tensor.dims.length <= 1) {
      // Integer scalars and vectors (Slice bounds, axes, indices) stay JS numbers, as integer
      // initializers do: an int32 tensor would wrap PyTorch's "to the end" bounds ±(2⁶³ − 1)
      // to 0.
      return {
        kind: 'ints',
        outputs: [{ values: tensor.values, scalar: tensor.dims.length === 0 }],
      };
    }
    if (tensor !== undefined) {
      const value =
        tensor.kind === 'float'
          ? tf.tensor(tensor.values, tensor.dims, 'float32')
          : tf.tensor(tensor.values, tensor.dims, 'int32');
      return kernel(() => [onnxValue(value)]);
    }
    if (a.has('value_float')) {
      const v = tf.scalar(a.float('value_float', 0));
      return kernel(() => [onnxValue(v)]);
    }
    const floats = a.floats('value_floats');
    if (floats !== undefined) {
      const v = tf.tensor1d(floats);
      return kernel(() => [onnxValue(v)]);
    }
    if (a.has('value_int'))
      return { kind: 'ints', outputs: [{ values: [a.int('value_int', 0)], scalar: true }] };
    const integers = a.ints('value_ints');
    if (integers !== undefined)
      return { kind: 'ints', outputs: [{ values: integers, scalar: false }] };
    throw new Refusal('a Constant needs one of value, value_float(s), value_int(s)');
  },
};

const identity: OpTranslator = {
  opType: 'Identity',
  attributes: onnxOpAttributes.Identity,
  translate(_node, inputs): Translation {
    const x = requireInput(inputs[0], 'input');
    if (x.ints !== undefined && x.constant === undefined)
      return { kind: 'ints', outputs: [x.ints] };
    return kernel(([v]) => [requireInput(v, 'input')]);
  },
};

const dropout: OpTranslator = {
  opType: 'Dropout',
  attributes: onnxOpAttributes.Dropout,
  translate(node, inputs): Translation {
    if (node.outputs.filter((o) => o !== '').length > 1)
      throw new Refusal('the mask output is not supported');
    const training = inputs[2];
    if (training !== undefined) {
      const value = training.constant?.dataSync()[0];
      if (value === undefined) throw new Refusal('training_mode must be a constant');
      if (value !== 0) throw new Refusal('training_mode = true is not supported');
    }
    requireInput(inputs[0], 'data');
    return kernel(([v]) => [requireInput(v, 'data')]);
  },
};

export const constantsAndIdentity: OpTranslator[] = [constant, identity, dropout];
