/**
 * Gradients of Concat and DepthwiseConv2dNative, which imported ONNX models run (channel
 * concatenation; grouped convolutions with one input channel per group), issue 13.
 *
 * Concat(x₀…x_{k−1}, axis): dxᵢ = dy sliced along `axis` at xᵢ's offset and size.
 *
 * DepthwiseConv2dNative(x [N,H,W,C], F [kh,kw,C,m]) → y [N,H',W',C·m], y[…, c·m+j] = x[…,c] ⊛ F[…,c,j].
 * The wasm backend has no DepthwiseConv2dNativeBackpropInput/Filter kernels, so both gradients go
 * through the dense convolution it equals: D [kh,kw,C,C·m] with D[…,c,c'·m+j] = [c = c']·F[…,c,j]
 * (block-diagonal), y = x ⊛ D. Then
 *   dx = Conv2DBackpropInput(dy, D)                             (the engine's conv gradient kernels)
 *   dF[…,c,j] = Conv2DBackpropFilter(x, dy)[…, c, c·m+j]        (the diagonal blocks of dD)
 * D has C times the filter's entries; the input gradient costs a dense convolution's work, which
 * for the small channel counts of image classifiers' depthwise layers is acceptable.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';
import { attrsAs, savedTensor, singleDy } from './gradient-helpers';

interface DepthwiseAttrs {
  strides: number | [number, number];
  pad: NamedAttrMap[string];
  dilations: number | [number, number];
  dimRoundingMode?: string;
}

/** [kh,kw,C,C,m]: F broadcast onto the diagonal c = c' (zeros elsewhere). */
function blockDiagonal(filter: Tensor): Tensor {
  const [kh = 0, kw = 0, c = 0, m = 0] = filter.shape;
  const eye = tf.reshape(tf.eye(c), [1, 1, c, c, 1]);
  return tf.mul(tf.reshape(filter, [kh, kw, c, 1, m]), eye);
}

const depthwiseGradient: GradConfig = {
  kernelName: 'DepthwiseConv2dNative',
  inputsToSave: ['x', 'filter'],
  gradFunc: (dyIn, saved, attrsIn) => {
    const attrs = attrsAs<DepthwiseAttrs>(attrsIn);
    const dilations = typeof attrs.dilations === 'number' ? [attrs.dilations] : attrs.dilations;
    if (dilations.some((d) => d !== 1)) {
      throw new Error(
        `DepthwiseConv2dNative gradients need dilation 1, got ${dilations.join(',')}`,
      );
    }
    const dy = singleDy(dyIn);
    const x = savedTensor(saved, 0, 'DepthwiseConv2dNative');
    const filter = savedTensor(saved, 1, 'DepthwiseConv2dNative');
    const [kh = 0, kw = 0, c = 0, m = 0] = filter.shape;
    const common = {
      strides: attrs.strides,
      pad: attrs.pad,
      dataFormat: 'NHWC',
      dimRoundingMode: attrs.dimRoundingMode,
    };
    return {
      x: () =>
        tf
          .engine()
          .runKernel(
            'Conv2DBackpropInput',
            { dy, filter: tf.reshape(blockDiagonal(filter), [kh, kw, c, c * m]) },
            { ...common, inputShape: x.shape } as unknown as NamedAttrMap,
          ) as Tensor,
      filter: () => {
        const dense = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
          ...common,
          filterShape: [kh, kw, c, c * m],
        } as unknown as NamedAttrMap) as Tensor;
        const diagonal = tf.reshape(tf.eye(c), [1, 1, c, c, 1]);
        return tf.sum(tf.mul(tf.reshape(dense, [kh, kw, c, c, m]), diagonal), 3);
      },
    };
  },
};

const concatGradient: GradConfig = {
  kernelName: 'Concat',
  saveAllInputs: true,
  gradFunc: (dyIn, saved, attrs) => {
    const dy = singleDy(dyIn);
    const first = savedTensor(saved, 0, 'Concat');
    const { axis } = attrsAs<{ axis: number | number[] }>(attrs);
    const [dim = 0] = tf.util.parseAxisParam(axis, first.shape);
    let offset = 0;
    const gradients: Record<number, () => Tensor> = {};
    saved.forEach((input, i) => {
      const begin = input.shape.map((_, k) => (k === dim ? offset : 0));
      const size = input.shape.map((s, k) => (k === dim ? s : -1));
      offset += input.shape[dim] ?? 0;
      gradients[i] = () => tf.slice(dy, begin, size);
    });
    return gradients;
  },
};

export const concatDepthwiseGradients: GradConfig[] = [concatGradient, depthwiseGradient];
