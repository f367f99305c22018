/** The few layer functions the built-in architectures are made of (NHWC throughout). */
import * as tf from '@tensorflow/tfjs-core';
import type { ParameterMap } from './model-types';

/**
 * Maps [0,1] pixels to [−1,1]: x ↦ (x − 0.5) / 0.5. Fixed, per-architecture constants rather
 * than dataset statistics, so a model's meaning does not depend on which dataset it saw.
 */
export function normalizeInput(images: tf.Tensor4D): tf.Tensor4D {
  return tf.sub(tf.mul(images, 2), 1) as tf.Tensor4D;
}

export function parameter(parameters: ParameterMap, name: string): tf.Tensor {
  const tensor = parameters.get(name);
  if (tensor === undefined) throw new Error(`model parameter ${name} is missing`);
  return tensor;
}

/**
 * [N,H,W,Cin] * [K,K,Cin,Cout] ('same', stride 1) + bias [Cout], then ReLU → [N,H,W,Cout].
 * The bias goes through tf.fused.conv2d, so the backend adds it inside the convolution (one
 * pass fewer over the activations). The ReLU stays outside: under a gradient tfjs fuses only a
 * linear activation, and falls back to conv + add + relu for a fused ReLU.
 */
export function convRelu(x: tf.Tensor4D, parameters: ParameterMap, name: string): tf.Tensor4D {
  const weights = parameter(parameters, `${name}.weight`) as tf.Tensor4D;
  const bias = parameter(parameters, `${name}.bias`) as tf.Tensor1D;
  return tf.relu(tf.fused.conv2d({ x, filter: weights, strides: 1, pad: 'same', bias }));
}

/** 2×2 max pooling, stride 2, 'valid': [N,H,W,C] → [N,⌊H/2⌋,⌊W/2⌋,C]. */
export function maxPool2(x: tf.Tensor4D): tf.Tensor4D {
  return tf.maxPool(x, 2, 2, 'valid');
}

export function flatten(x: tf.Tensor4D): tf.Tensor2D {
  const [n, h, w, c] = x.shape;
  return tf.reshape(x, [n, h * w * c]);
}

/** [N,In] · [In,Out] + bias [Out] → [N,Out] (pre-activation). */
export function dense(x: tf.Tensor2D, parameters: ParameterMap, name: string): tf.Tensor2D {
  const weights = parameter(parameters, `${name}.weight`) as tf.Tensor2D;
  const bias = parameter(parameters, `${name}.bias`) as tf.Tensor1D;
  return tf.add(tf.matMul(x, weights), bias);
}

/** ReLU forward; identity backward (see ForwardOptions.fakeRelu). */
const fakeReluOp = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = inputs[0];
  if (!(x instanceof tf.Tensor)) throw new Error('fake ReLU takes one tensor');
  return { value: tf.relu(x), gradFunc: (dy: tf.Tensor) => dy };
});

export function representationRelu(x: tf.Tensor2D, fakeRelu: boolean): tf.Tensor2D {
  return fakeRelu ? (fakeReluOp(x) as tf.Tensor2D) : tf.relu(x);
}
