/**
 * The attributes tfjs-core passes to the two conv-gradient kernels, with the checks that the
 * rewrites below rely on (NHWC only; tfjs asserts dilation 1 before it asks for a gradient).
 */
import { backend_util } from '@tensorflow/tfjs-core';
import type { Conv2DBackpropFilterAttrs, Conv2DBackpropInputAttrs } from '@tensorflow/tfjs-core';
import type { AxisConv } from './conv2d-geometry';

export type Shape4 = [number, number, number, number];

export function toShape4(shape: readonly number[], what: string): Shape4 {
  const [a, b, c, d] = shape;
  if (
    shape.length !== 4 ||
    a === undefined ||
    b === undefined ||
    c === undefined ||
    d === undefined
  ) {
    throw new Error(`${what} must have rank 4, got shape [${shape.join(', ')}]`);
  }
  return [a, b, c, d];
}

export type ConvGradientAttrs = Pick<
  Conv2DBackpropInputAttrs & Conv2DBackpropFilterAttrs,
  'strides' | 'pad' | 'dataFormat' | 'dimRoundingMode'
>;

/** Forward-conv geometry of the convolution being differentiated, split per spatial axis. */
export function forwardConvAxes(
  inputShape: Shape4,
  filterShape: Shape4,
  attrs: ConvGradientAttrs,
): { height: AxisConv; width: AxisConv; info: backend_util.Conv2DInfo } {
  if (attrs.dataFormat !== 'NHWC') {
    throw new Error(`conv gradient kernels support NHWC only, got dataFormat ${attrs.dataFormat}`);
  }
  const info = backend_util.computeConv2DInfo(
    inputShape,
    filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  return {
    info,
    height: {
      inSize: info.inHeight,
      outSize: info.outHeight,
      filterSize: info.filterHeight,
      stride: info.strideHeight,
      padBefore: info.padInfo.top,
      padAfter: info.padInfo.bottom,
    },
    width: {
      inSize: info.inWidth,
      outSize: info.outWidth,
      filterSize: info.filterWidth,
      stride: info.strideWidth,
      padBefore: info.padInfo.left,
      padAfter: info.padInfo.right,
    },
  };
}
