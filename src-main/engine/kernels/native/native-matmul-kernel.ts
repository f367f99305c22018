/**
 * BatchMatMul as OpenBLAS SGEMM calls (native/src/matmul.c). Operands of rank ≥ 3 are read as
 * [batch, rows, cols] with batch = the product of the outer dimensions; the native side
 * broadcasts a batch of 1 against the other's. Any other broadcast, non-float32 operand or
 * empty matrix goes to the kernel it replaced.
 */
import { broadcast_util, util } from '@tensorflow/tfjs-core';
import type { BatchMatMulAttrs, KernelBackend, KernelFunc } from '@tensorflow/tfjs-core';
import type { NativeKernelAddon } from './native-addon';
import { float32Memory, type NativeBackendName } from './tensor-memory';

export function makeBatchMatMul(
  addon: NativeKernelAddon,
  backendName: NativeBackendName,
  fallback: KernelFunc,
): KernelFunc {
  return (args) => {
    const { a, b } = args.inputs;
    const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs;
    if (a === undefined || b === undefined) throw new Error('BatchMatMul needs a and b');
    const rankA = a.shape.length;
    const rankB = b.shape.length;
    if (a.dtype !== 'float32' || b.dtype !== 'float32' || rankA < 2 || rankB < 2) {
      return fallback(args);
    }
    const m = a.shape[transposeA ? rankA - 1 : rankA - 2] ?? 0;
    const k = a.shape[transposeA ? rankA - 2 : rankA - 1] ?? 0;
    const kB = b.shape[transposeB ? rankB - 1 : rankB - 2] ?? 0;
    const n = b.shape[transposeB ? rankB - 2 : rankB - 1] ?? 0;
    util.assert(
      k === kB,
      () =>
        `Error in matMul: inner shapes (${k}) and (${kB}) of Tensors with shapes ${a.shape} and ` +
        `${b.shape} and transposeA=${transposeA} and transposeB=${transposeB} must match.`,
    );
    const outerA = a.shape.slice(0, -2);
    const outerB = b.shape.slice(0, -2);
    const batchA = util.sizeFromShape(outerA);
    const batchB = util.sizeFromShape(outerB);
    const outer = broadcast_util.assertAndGetBroadcastShape(outerA, outerB);
    // Plain: one side's batch is 1, or both sides' batches line up one to one (equal products
    // and no growth under broadcasting; [3,1] against [1,3] grows to 9 and is not plain).
    const plainBroadcast =
      (batchA === batchB || batchA === 1 || batchB === 1) &&
      util.sizeFromShape(outer) === Math.max(batchA, batchB);
    if (!plainBroadcast || m === 0 || n === 0 || k === 0 || batchA === 0 || batchB === 0) {
      return fallback(args);
    }
    const memory = float32Memory(args.backend as KernelBackend, backendName);
    const output = memory.allocate([...outer, m, n]);
    const geometry = Int32Array.from([
      batchA,
      batchB,
      m,
      n,
      k,
      transposeA ? 1 : 0,
      transposeB ? 1 : 0,
    ]);
    addon.batchMatMul(memory.read(a), memory.read(b), output.data(), geometry);
    return output.info;
  };
}
