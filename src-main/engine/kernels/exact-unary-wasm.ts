/**
 * Two elementwise kernels of tfjs-backend-wasm 4.22 that are wrong for small inputs, replaced
 * by exact ones computed in JavaScript over the wasm heap (one pass, float64 arithmetic rounded
 * once to float32; these are cheap next to the convolutions around them).
 *
 * Sign: the built-in returns 0 for every |x| < FLT_EPSILON (1.19e-7), a threshold meant for
 *   values near 1 applied to values of any scale. L∞ attacks step along sign(∇ₓL), and on a
 *   confident image the input gradient of the cross-entropy is far below 1e-7 (the softmax of
 *   the other classes is ≈ e^−margin: a logit margin of 18 gives ~1e-8 in the logits' gradient
 *   and ~1e-9 in the pixels'). Such an image got a zero step at every iteration, so PGD, APGD,
 *   FGSM and the PGD inside robust training left it where it started: on a standard MNIST CNN,
 *   CE-PGD at ε = 0.3 reported 3.8% robust accuracy where the true figure is 0%.
 *   Here sign(x) = −1, 0, +1 for x < 0, x = 0 (and NaN), x > 0, as the cpu backend, PyTorch
 *   and NumPy define it, exact at every magnitude, subnormals included.
 * Log1p: the built-in computes log(1 + x) in float32, which is 0 for |x| < 6e-8 and off by
 *   5e-5 relative at x = 1e-3: the very cancellation log1p exists to avoid. The cross-entropy
 *   log(1 + Σ_{j≠y} e^{z_j − z_y}) (attacks/per-example-loss.ts) depends on it. Here
 *   Math.log1p, correct to float64 before the rounding.
 */
import type {
  DataType,
  KernelBackend,
  KernelConfig,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { wasmKernelConfig } from './wasm-kernel-call';

type HeapArray = Float32Array | Int32Array;

interface WasmHeapAccess {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  /** A view of the tensor's storage in the wasm heap, typed by its dtype. */
  typedArrayFromHeap(info: TensorInfo): HeapArray;
}

/** sign(x): NaN compares false both ways and gives 0, as in the cpu backend. */
export function exactSign(value: number): number {
  return value > 0 ? 1 : value < 0 ? -1 : 0;
}

/**
 * A wasm kernel out_i = f(x_i). `outputDtype` maps the input dtype to the output's (Sign keeps
 * int32; Log1p of an int32 tensor is float32, as in tfjs).
 */
function unaryWasmKernel(
  kernelName: string,
  f: (value: number) => number,
  outputDtype: (input: DataType) => DataType,
): KernelConfig {
  const kernelFunc = (args: Parameters<KernelFunc>[0]): TensorInfo => {
    const { x } = args.inputs;
    if (x === undefined) throw new Error(`${kernelName} needs x`);
    if (x.dtype !== 'float32' && x.dtype !== 'int32') {
      throw new Error(`${kernelName} takes a float32 or int32 tensor, not ${x.dtype}`);
    }
    const heap = args.backend as KernelBackend & WasmHeapAccess;
    const output = heap.makeOutput([...x.shape], outputDtype(x.dtype));
    // Views are taken after the allocation, which may grow (and so detach) the heap.
    const input = heap.typedArrayFromHeap(x);
    const out = heap.typedArrayFromHeap(output);
    for (let i = 0; i < input.length; i++) out[i] = f(input[i] ?? 0);
    return output;
  };
  return wasmKernelConfig(kernelName, kernelFunc);
}

export const signWasmConfig = unaryWasmKernel('Sign', exactSign, (dtype) => dtype);
export const log1pWasmConfig = unaryWasmKernel('Log1p', Math.log1p, () => 'float32');
