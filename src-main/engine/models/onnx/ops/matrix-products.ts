/**
 * Gemm: Y = α·op(A)·op(B) + β·C, A [M,K] (or [K,M] with transA), B [K,N] (or [N,K] with
 * transB), C broadcast to [M,N]. A constant B is stored once as α·op(B) [K,N], so the model's
 * product is a plain matMul without transpose flags (the engine's fast case), and a constant C
 * once as β·C. MatMul: NumPy matmul, a 1-D operand promoted to a matrix and the promoted axis
 * removed afterwards.
 */
import * as tf from '@tensorflow/tfjs-core';
import { onnxOpAttributes } from '../onnx-op-catalog';
import type { OpTranslator } from '../op-registry';
import { logical, onnxValue } from '../layout';
import { kernel, Refusal, requireInput } from '../values';

const gemm: OpTranslator = {
  opType: 'Gemm',
  attributes: onnxOpAttributes.Gemm,
  translate(node, inputs) {
    const a = node.attributes;
    const alpha = a.float('alpha', 1);
    const beta = a.float('beta', 1);
    const transA = a.int('transA', 0) === 1;
    const transB = a.int('transB', 0) === 1;
    const aInfo = requireInput(inputs[0], 'input A');
    const bInfo = requireInput(inputs[1], 'input B');
    if (aInfo.shape.length !== 2 || bInfo.shape.length !== 2) {
      throw new Refusal('A and B must be matrices');
    }
    const b =
      bInfo.constant === undefined
        ? undefined
        : tf.tidy(() => {
            const t = transB ? tf.transpose(bInfo.constant as tf.Tensor2D) : bInfo.constant;
            return alpha === 1 ? t : tf.mul(t as tf.Tensor, alpha);
          });
    const cInfo = inputs[2];
    const c =
      cInfo?.constant === undefined
        ? undefined
        : beta === 1
          ? cInfo.constant
          : tf.mul(cInfo.constant, beta);
    return kernel(([aValue, bValue, cValue]) => {
      let left = logical(requireInput(aValue, 'A'));
      if (transA) left = tf.transpose(left);
      let product: tf.Tensor;
      if (b !== undefined) {
        product = tf.matMul(left as tf.Tensor2D, b as tf.Tensor2D);
      } else {
        let right = logical(requireInput(bValue, 'B'));
        if (transB) right = tf.transpose(right);
        product = tf.matMul(left as tf.Tensor2D, right as tf.Tensor2D);
        if (alpha !== 1) product = tf.mul(product, alpha);
      }
      if (c !== undefined) return [onnxValue(tf.add(product, c))];
      if (cValue !== undefined) {
        const term = logical(cValue);
        return [onnxValue(tf.add(product, beta === 1 ? term : tf.mul(term, beta)))];
      }
      return [onnxValue(product)];
    });
  },
};

const matMul: OpTranslator = {
  opType: 'MatMul',
  attributes: onnxOpAttributes.MatMul,
  translate(_node, inputs) {
    const aInfo = requireInput(inputs[0], 'input A');
    const bInfo = requireInput(inputs[1], 'input B');
    if (aInfo.dtype !== 'float32' || bInfo.dtype !== 'float32') {
      throw new Refusal('only float operands are supported');
    }
    return kernel(([aValue, bValue]) => {
      let left = logical(requireInput(aValue, 'A'));
      let right = logical(requireInput(bValue, 'B'));
      const vectorA = left.rank === 1;
      const vectorB = right.rank === 1;
      if (vectorA) left = tf.expandDims(left, 0);
      if (vectorB) right = tf.expandDims(right, 1);
      // Batch axes broadcast as in NumPy: a lower-rank operand gains leading axes of size 1.
      while (left.rank < right.rank) left = tf.expandDims(left, 0);
      while (right.rank < left.rank) right = tf.expandDims(right, 0);
      let y = tf.matMul(left, right);
      if (vectorB) y = tf.squeeze(y, [y.rank - 1]);
      if (vectorA) y = tf.squeeze(y, [y.rank - (vectorB ? 1 : 2)]);
      return [onnxValue(y)];
    });
  },
};

export const matrixProducts: OpTranslator[] = [gemm, matMul];
