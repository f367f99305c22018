/**
 * BatchNormalization in inference mode: y = γ·(x − μ)/√(σ² + ε) + β over the channel axis 1,
 * folded once into one scale and one shift per channel,
 *   a = γ/√(σ² + ε),  b = β − μ·a,  y = a·x + b,
 * broadcast along the last axis of an NHWC value or as [C,1,…,1] on a logical one. Training
 * mode (batch statistics, extra outputs) is refused: an imported model is evaluated, not trained.
 */
import * as tf from '@tensorflow/tfjs-core';
import { onnxOpAttributes } from '../onnx-op-catalog';
import type { OpTranslator } from '../op-registry';
import { kernel, Refusal, requireInput } from '../values';

export const batchNormalization: OpTranslator = {
  opType: 'BatchNormalization',
  attributes: onnxOpAttributes.BatchNormalization,
  translate(node, inputs) {
    const a = node.attributes;
    if (a.int('training_mode', 0) !== 0) throw new Refusal('training_mode is not supported');
    // Opsets < 7: is_test = 0 meant training.
    if (a.has('is_test') && a.int('is_test', 0) !== 1)
      throw new Refusal('is_test = 0 (training) is not supported');
    if (a.int('spatial', 1) !== 1) throw new Refusal('spatial = 0 is not supported');
    if (node.outputs.filter((o) => o !== '').length > 1) {
      throw new Refusal('the running-statistics outputs (training) are not supported');
    }
    const epsilon = a.float('epsilon', 1e-5);
    const constants = [1, 2, 3, 4].map((i) => {
      const c = inputs[i]?.constant;
      if (c === undefined) throw new Refusal(`input ${i} (scale, B, mean, var) must be a constant`);
      return c;
    });
    const [gamma, beta, mean, variance] = constants as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    const scale = tf.tidy(() => tf.div(gamma, tf.sqrt(tf.add(variance, epsilon))));
    const shift = tf.tidy(() => tf.sub(beta, tf.mul(mean, scale)));
    const rank = requireInput(inputs[0], 'input X').shape.length;
    if (rank < 2) throw new Refusal(`X must have a channel axis, got rank ${rank}`);
    const logicalShape = [scale.size, ...new Array<number>(rank - 2).fill(1)];
    const scaleLogical = tf.reshape(scale, logicalShape);
    const shiftLogical = tf.reshape(shift, logicalShape);
    return kernel(([input]) => {
      const x = requireInput(input, 'X');
      const [s, b] = x.layout === 'nhwc' ? [scale, shift] : [scaleLogical, shiftLogical];
      return [{ tensor: tf.add(tf.mul(x.tensor, s), b), layout: x.layout }];
    });
  },
};
