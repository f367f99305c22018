/**
 * MaxPoolGrad natively (native/src/pool.c): the wasm backend's own takes ~80 ms per W1 step on
 * one thread, as much as a convolution. Float32 NHWC only; anything else (and 3-D pooling,
 * which has its own kernel) is the replaced kernel's.
 */
import { backend_util } from '@tensorflow/tfjs-core';
import type { KernelBackend, KernelFunc, MaxPoolGradAttrs } from '@tensorflow/tfjs-core';
import type { NativeKernelAddon } from './native-addon';
import { float32Memory, type NativeBackendName } from './tensor-memory';

export function makeMaxPoolGrad(
  addon: NativeKernelAddon,
  backendName: NativeBackendName,
  fallback: KernelFunc,
): KernelFunc {
  return (args) => {
    const { dy, input } = args.inputs;
    const attrs = args.attrs as unknown as MaxPoolGradAttrs;
    if (dy === undefined || input === undefined) throw new Error('MaxPoolGrad needs dy and input');
    const shapesOk =
      input.shape.length === 4 && input.shape.every((d) => d > 0) && dy.shape.length === 4;
    if (!shapesOk || dy.dtype !== 'float32' || input.dtype !== 'float32') return fallback(args);
    const info = backend_util.computePool2DInfo(
      input.shape as [number, number, number, number],
      attrs.filterSize,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
    );
    const memory = float32Memory(args.backend as KernelBackend, backendName);
    const output = memory.allocate([...input.shape]);
    const geometry = Int32Array.from([
      info.batchSize,
      info.inHeight,
      info.inWidth,
      info.inChannels,
      info.outHeight,
      info.outWidth,
      info.filterHeight,
      info.filterWidth,
      info.strideHeight,
      info.strideWidth,
      info.padInfo.top,
      info.padInfo.left,
    ]);
    addon.maxPoolBackprop(memory.read(dy), memory.read(input), output.data(), geometry);
    return output.info;
  };
}
