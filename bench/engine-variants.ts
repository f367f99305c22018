/**
 * The engine variants the bench measures side by side, as data. The in-process backends (wasm,
 * cpu) run twice: with the native kernel addon in front of their own kernels ("+native", what
 * the workbench runs by default) and with their own kernels alone (the "before" of issue 3).
 * The TensorFlow backends have no such choice: their kernels are native already.
 */
import type { BackendName } from '../src-main/common/backend-schemas';
import type { NativeBackendName } from '../src-main/engine/kernels/native/tensor-memory';

export interface EngineVariant {
  backend: BackendName;
  /** true: native kernels in front; false: the backend's own alone; null: no choice. */
  nativeKernels: boolean | null;
}

export function isNativeBackend(backend: string): backend is NativeBackendName {
  return backend === 'wasm' || backend === 'cpu';
}

/** 'wasm+native', 'wasm', 'tensorflow': the name a row's engine column and the JSON carry. */
export function variantName(backend: string, nativeKernels: boolean | null): string {
  return nativeKernels === true ? `${backend}+native` : backend;
}

/**
 * The variants of one backend, the default one first: the native kernels are registered when
 * the backend is selected, so the +native rows run in that state and the pure ones after
 * unregistering (see engine-bench.ts).
 */
export function variantsOf(backend: BackendName, pure: boolean): EngineVariant[] {
  if (!isNativeBackend(backend)) return [{ backend, nativeKernels: null }];
  const native: EngineVariant = { backend, nativeKernels: true };
  return pure ? [native, { backend, nativeKernels: false }] : [native];
}
