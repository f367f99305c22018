/**
 * Calls another kernel of the wasm backend directly, below the engine: no tape, no tensor
 * bookkeeping. Composite kernels (the conv backprops here) are built from these calls and must
 * free every intermediate themselves with `backend.disposeData`, because the engine only sees
 * the one TensorInfo the composite returns.
 */
import * as tf from '@tensorflow/tfjs-core';
import type {
  KernelBackend,
  KernelConfig,
  KernelFunc,
  NamedAttrMap,
  NamedTensorInfoMap,
  TensorInfo,
} from '@tensorflow/tfjs-core';

export const WASM_BACKEND = 'wasm';

/** The registration of `kernelFunc` as the wasm backend's `kernelName` kernel. */
export function wasmKernelConfig(
  kernelName: string,
  kernelFunc: (args: Parameters<KernelFunc>[0]) => TensorInfo,
): KernelConfig {
  return { kernelName, backendName: WASM_BACKEND, kernelFunc: kernelFunc as KernelFunc };
}

export function callWasmKernel(
  kernelName: string,
  backend: KernelBackend,
  inputs: NamedTensorInfoMap,
  attrs: object,
): TensorInfo {
  const kernel = tf.getKernel(kernelName, WASM_BACKEND);
  if (kernel === undefined) {
    throw new Error(`the wasm backend has no ${kernelName} kernel to build on`);
  }
  // Attribute objects such as explicit padding ([[0,0],[1,1],[1,1],[0,0]]) are valid kernel
  // attributes but fall outside tfjs' NamedAttrMap union, hence the widening cast.
  const output = kernel.kernelFunc({ inputs, backend, attrs: attrs as NamedAttrMap });
  if (Array.isArray(output)) {
    throw new Error(`the wasm ${kernelName} kernel returned several outputs; expected one`);
  }
  return output;
}

/** Frees intermediates made by callWasmKernel (reshape outputs share data and only drop a ref). */
export function disposeIntermediates(backend: KernelBackend, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}
