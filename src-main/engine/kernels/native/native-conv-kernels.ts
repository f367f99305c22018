/**
 * Conv2D and its two gradients as native im2col + OpenBLAS kernels (native/src/conv2d.c has the
 * math); the addon itself sends 3×3 and 5×5 stride-1 'same' layers with ≥ 16 channels on both
 * sides to Winograd, F(4×4, 3×3) or F(2×2, 5×5), instead, forward and input gradient
 * (native/src/winograd.h). Each kernel handles float32 NHWC, which is all the engine's models use,
 * and hands anything else (NCHW, other dtypes, empty tensors) to the kernel it replaced, unchanged.
 */
import { backend_util } from '@tensorflow/tfjs-core';
import type {
  Conv2DAttrs,
  Conv2DBackpropFilterAttrs,
  Conv2DBackpropInputAttrs,
  FusedConv2DAttrs,
  KernelBackend,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import type { NativeKernelAddon } from './native-addon';
import { float32Memory, type NativeBackendName } from './tensor-memory';

type KernelArgs = Parameters<KernelFunc>[0];

/**
 * The 15 integers of native conv_geometry, in its field order, then the bottom and right pads
 * (17): the addon checks out_h and out_w against all four pads before it runs.
 */
export function convGeometry(info: backend_util.Conv2DInfo): Int32Array {
  return Int32Array.from([
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.outChannels,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
    info.padInfo.top,
    info.padInfo.left,
    info.padInfo.bottom,
    info.padInfo.right,
  ]);
}

export function convInfo(
  inputShape: number[],
  filterShape: number[],
  attrs: Pick<Conv2DAttrs, 'strides' | 'pad' | 'dimRoundingMode'>,
  dilations: Conv2DAttrs['dilations'],
): backend_util.Conv2DInfo {
  return backend_util.computeConv2DInfo(
    inputShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
}

/** True where the native kernel applies: float32 NHWC with no empty dimension. */
function nativeApplies(dataFormat: string, tensors: TensorInfo[], shapes: number[][]): boolean {
  return (
    dataFormat === 'NHWC' &&
    tensors.every((t) => t.dtype === 'float32') &&
    shapes.every((shape) => shape.length === 4 && shape.every((d) => d > 0))
  );
}

export type ConvKernelMaker = (
  addon: NativeKernelAddon,
  backendName: NativeBackendName,
  fallback: KernelFunc,
) => KernelFunc;

export const makeConv2D: ConvKernelMaker = (addon, backendName, fallback) => (args: KernelArgs) => {
  const { x, filter } = args.inputs;
  const attrs = args.attrs as unknown as Conv2DAttrs;
  if (x === undefined || filter === undefined) throw new Error('Conv2D needs x and filter');
  if (!nativeApplies(attrs.dataFormat, [x, filter], [x.shape, filter.shape])) return fallback(args);
  const info = convInfo(x.shape, filter.shape, attrs, attrs.dilations);
  const memory = float32Memory(args.backend as KernelBackend, backendName);
  const output = memory.allocate(info.outShape);
  const geometry = convGeometry(info);
  addon.conv2dForward(memory.read(x), memory.read(filter), output.data(), geometry, null, false);
  return output.info;
};

/**
 * FusedConv2D (tf.fused.conv2d: the models' conv + bias, and + ReLU outside of gradients) with
 * the bias and ReLU applied to each output tile while it is in cache, instead of two more passes
 * over the activations. A bias other than one per output channel, another activation, or PReLU
 * weights: the replaced kernel.
 */
export const makeFusedConv2D: ConvKernelMaker =
  (addon, backendName, fallback) => (args: KernelArgs) => {
    const { x, filter, bias, preluActivationWeights } = args.inputs;
    const attrs = args.attrs as unknown as FusedConv2DAttrs;
    if (x === undefined || filter === undefined) throw new Error('FusedConv2D needs x and filter');
    const channels = filter.shape[3] ?? 0;
    const biasFits =
      bias === undefined ||
      (bias.dtype === 'float32' &&
        bias.shape[bias.shape.length - 1] === channels &&
        bias.shape.slice(0, -1).every((d) => d === 1));
    const activationFits = attrs.activation === 'linear' || attrs.activation === 'relu';
    if (
      !biasFits ||
      !activationFits ||
      preluActivationWeights !== undefined ||
      !nativeApplies(attrs.dataFormat, [x, filter], [x.shape, filter.shape])
    ) {
      return fallback(args);
    }
    const info = convInfo(x.shape, filter.shape, attrs, attrs.dilations);
    const memory = float32Memory(args.backend as KernelBackend, backendName);
    const output = memory.allocate(info.outShape);
    addon.conv2dForward(
      memory.read(x),
      memory.read(filter),
      output.data(),
      convGeometry(info),
      bias === undefined ? null : memory.read(bias),
      attrs.activation === 'relu',
    );
    return output.info;
  };

export const makeConv2DBackpropInput: ConvKernelMaker =
  (addon, backendName, fallback) => (args: KernelArgs) => {
    const { dy, filter } = args.inputs;
    const attrs = args.attrs as unknown as Conv2DBackpropInputAttrs;
    if (dy === undefined || filter === undefined) {
      throw new Error('Conv2DBackpropInput needs dy and filter');
    }
    const inputShape = [...attrs.inputShape];
    if (!nativeApplies(attrs.dataFormat, [dy, filter], [inputShape, dy.shape, filter.shape])) {
      return fallback(args);
    }
    const info = convInfo(inputShape, filter.shape, attrs, 1);
    const memory = float32Memory(args.backend as KernelBackend, backendName);
    const output = memory.allocate(inputShape);
    addon.conv2dBackpropInput(
      memory.read(dy),
      memory.read(filter),
      output.data(),
      convGeometry(info),
    );
    return output.info;
  };

export const makeConv2DBackpropFilter: ConvKernelMaker =
  (addon, backendName, fallback) => (args: KernelArgs) => {
    const { x, dy } = args.inputs;
    const attrs = args.attrs as unknown as Conv2DBackpropFilterAttrs;
    if (x === undefined || dy === undefined) throw new Error('Conv2DBackpropFilter needs x and dy');
    const filterShape = [...attrs.filterShape];
    if (!nativeApplies(attrs.dataFormat, [x, dy], [x.shape, dy.shape, filterShape])) {
      return fallback(args);
    }
    const info = convInfo(x.shape, filterShape, attrs, 1);
    const memory = float32Memory(args.backend as KernelBackend, backendName);
    const output = memory.allocate(filterShape);
    addon.conv2dBackpropFilter(memory.read(x), memory.read(dy), output.data(), convGeometry(info));
    return output.info;
  };
