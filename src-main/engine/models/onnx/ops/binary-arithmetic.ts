/**
 * Add, Sub, Mul, Div with NumPy broadcasting (opset ≥ 7; float tensors only: the workbench's
 * models compute in float32). When either operand is an NHWC-stored 4-D value the other is
 * brought to NHWC too (a constant once, here), so a normalization prefix (x − μ[C,1,1]) / σ[C,1,1]
 * or a residual sum runs on the NHWC tensors without transposes.
 */
import * as tf from '@tensorflow/tfjs-core';
import { onnxOpAttributes, type OnnxOpType } from '../onnx-op-catalog';
import type { OpTranslator } from '../op-registry';
import { asNhwcOperand, logical, nhwcValue, onnxValue } from '../layout';
import { kernel, Refusal, requireInput, type LaidOut, type ValueInfo } from '../values';

type Operation = (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;

/** One operand at run time in the layout asked for; a constant's NHWC form is made once. */
function operand(info: ValueInfo): (value: LaidOut | undefined, toNhwc: boolean) => tf.Tensor {
  const constantNhwc =
    info.constant !== undefined && info.constant.rank <= 4
      ? asNhwcOperand(info.constant)
      : undefined;
  return (value, toNhwc) => {
    const v = requireInput(value, 'operand');
    if (!toNhwc) return logical(v);
    if (v.layout === 'nhwc') return v.tensor;
    if (constantNhwc !== undefined && info.constant === v.tensor) return constantNhwc;
    return asNhwcOperand(v.tensor);
  };
}

function binary(opType: OnnxOpType, operation: Operation): OpTranslator {
  return {
    opType,
    attributes: onnxOpAttributes[opType],
    translate(_node, inputs) {
      const [a, b] = [requireInput(inputs[0], 'input A'), requireInput(inputs[1], 'input B')];
      for (const info of [a, b]) {
        if (info.dtype !== 'float32') {
          throw new Refusal(`${info.dtype} operands are not supported (float only)`);
        }
      }
      const outRank = Math.max(a.shape.length, b.shape.length);
      const [left, right] = [operand(a), operand(b)];
      return kernel(([x, y]) => {
        const toNhwc = outRank === 4 && (x?.layout === 'nhwc' || y?.layout === 'nhwc');
        const result = operation(left(x, toNhwc), right(y, toNhwc));
        return [toNhwc ? nhwcValue(result) : onnxValue(result)];
      });
    },
  };
}

export const binaryArithmetic: OpTranslator[] = [
  binary('Add', tf.add),
  binary('Sub', tf.sub),
  binary('Mul', tf.mul),
  binary('Div', tf.div),
];
