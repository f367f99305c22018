/**
 * Identity for wasm without a copy. tfjs clones every tensor a gradient saves (inputsToSave)
 * through the Identity kernel, and the wasm backend's copies the data each time: ~10 ms of
 * every W4 inversion step went to copying activations. Tensors are immutable (a variable's
 * assign swaps its data, never writes into it), so the clone can share the data and count one
 * more reference, as the cpu backend's Identity and wasm's own Reshape already do.
 */
import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { wasmKernelConfig } from './wasm-kernel-call';

interface ReferenceCounted {
  incRef(dataId: object): void;
}

function identityWasm(args: Parameters<KernelFunc>[0]): TensorInfo {
  const { x } = args.inputs;
  if (x === undefined) throw new Error('Identity needs x');
  (args.backend as KernelBackend & ReferenceCounted).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export const identityWasmConfig = wasmKernelConfig('Identity', identityWasm);
