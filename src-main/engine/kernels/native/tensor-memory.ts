/**
 * Direct access to float32 tensor storage for the two in-process backends, so native kernels
 * read their inputs and write their outputs in place:
 *  - wasm keeps tensors in its heap; a Float32Array view over the heap at the tensor's offset is
 *    the tensor. Views must be taken AFTER allocating the output: that allocation may grow the
 *    heap, which detaches every earlier view.
 *  - cpu keeps each tensor as a JS typed array; readSync returns that very array (no copy),
 *    except for an int32/bool tensor cast to float32, whose storage is converted.
 */
import type { DataType, KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';

export type NativeBackendName = 'wasm' | 'cpu';

export interface Float32Output {
  info: TensorInfo;
  /** Call after every allocation of the kernel is done (see above). */
  data(): Float32Array;
}

export interface Float32Memory {
  allocate(shape: number[]): Float32Output;
  read(info: TensorInfo): Float32Array;
}

interface WasmBackendInternals {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
}

interface CpuBackendInternals {
  makeTensorInfo(shape: number[], dtype: DataType, values: Float32Array): TensorInfo;
  readSync(dataId: object): unknown;
}

function wasmMemory(backend: KernelBackend): Float32Memory {
  const wasm = backend as unknown as WasmBackendInternals;
  return {
    allocate(shape) {
      const info = wasm.makeOutput(shape, 'float32');
      return { info, data: () => wasm.typedArrayFromHeap(info) };
    },
    read: (info) => wasm.typedArrayFromHeap(info),
  };
}

function cpuMemory(backend: KernelBackend): Float32Memory {
  const cpu = backend as unknown as CpuBackendInternals;
  return {
    allocate(shape) {
      const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
      const info = cpu.makeTensorInfo(shape, 'float32', values);
      return { info, data: () => values };
    },
    read(info) {
      const values = cpu.readSync(info.dataId);
      if (values instanceof Float32Array) return values;
      // The cpu backend casts int32/bool to float32 without converting the data (the tensor
      // keeps its Int32Array/Uint8Array): convert here, as its own kernels read it.
      if (values instanceof Int32Array || values instanceof Uint8Array) {
        return Float32Array.from(values);
      }
      throw new Error(`native kernel: a ${info.dtype} tensor has no numeric storage`);
    },
  };
}

export function float32Memory(backend: KernelBackend, name: NativeBackendName): Float32Memory {
  return name === 'wasm' ? wasmMemory(backend) : cpuMemory(backend);
}
