/** The few layer functions the built-in architectures are made of (NHWC throughout). */
import * as tf from '@tensorflow/tfjs-core';
import type { ConvPadding } from './model-graph';
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
 * [N,H,W,Cin] * [kh,kw,Cin,Cout] (dilation 1) + bias [Cout], then the activation → [N,H',W',Cout],
 * as one FusedConv2D kernel: the backend adds the bias and applies a ReLU inside the convolution,
 * with no extra passes over the output.
 *
 * The kernel is called directly rather than through tf.fused.conv2d: that op wraps it in a
 * custom gradient that computes the filter and bias gradients eagerly even when only the input
 * gradient is asked for, so every attack and inversion step paid for a weight gradient it threw
 * away (measured in the bench: W1 on wasm + native kernels 1.8 → 2.6 s). The engine's own
 * FusedConv2D gradient (gradients/layer-gradients.ts) computes only what is asked for.
 */
export function fusedConv2d(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  bias: tf.Tensor1D,
  strides: number[],
  pad: 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]],
  activation: 'relu' | 'linear',
): tf.Tensor4D {
  const attrs = {
    strides,
    pad,
    dataFormat: 'NHWC',
    dilations: [1, 1],
    dimRoundingMode: undefined,
    activation,
    leakyreluAlpha: 0,
  };
  return tf
    .engine()
    .runKernel(
      'FusedConv2D',
      { x, filter, bias },
      attrs as unknown as tf.NamedAttrMap,
    ) as tf.Tensor4D;
}

/** [N,H,W,Cin] * [K,K,Cin,Cout] ('same', stride 1) + bias [Cout], then ReLU → [N,H,W,Cout]. */
export function convRelu(x: tf.Tensor4D, parameters: ParameterMap, name: string): tf.Tensor4D {
  const filter = parameter(parameters, `${name}.weight`) as tf.Tensor4D;
  const bias = parameter(parameters, `${name}.bias`) as tf.Tensor1D;
  return fusedConv2d(x, filter, bias, [1, 1], 'same', 'relu');
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

export function representationRelu<T extends tf.Tensor>(x: T, fakeRelu: boolean): T {
  return fakeRelu ? (fakeReluOp(x) as T) : tf.relu(x);
}

function tfPadding(
  padding: ConvPadding,
): 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]] {
  if (typeof padding === 'string') return padding;
  return [
    [0, 0],
    [padding, padding],
    [padding, padding],
    [0, 0],
  ];
}

/** [N,H,W,Cin] * [K,K,Cin,Cout] with the given stride and padding, no bias → [N,H',W',Cout]. */
export function conv(
  x: tf.Tensor4D,
  parameters: ParameterMap,
  name: string,
  strides: number,
  padding: ConvPadding,
): tf.Tensor4D {
  const weights = parameter(parameters, `${name}.weight`) as tf.Tensor4D;
  return tf.conv2d(x, weights, strides, tfPadding(padding));
}

/** Mean over height and width: [N,H,W,C] → [N,C]. */
export function globalAveragePool(x: tf.Tensor4D): tf.Tensor2D {
  return tf.mean(x, [1, 2]);
}
