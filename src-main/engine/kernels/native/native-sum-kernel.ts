/**
 * Sum over every axis but the last, natively (native/src/reduce.c): the gradient of each bias.
 * On wasm it was a Transpose and a one-thread Sum, ~60 ms of a 128-image W3 training step. Any
 * other reduction, or a non-float32 input, is the replaced kernel's.
 */
import { util } from '@tensorflow/tfjs-core';
import type { KernelBackend, KernelFunc, SumAttrs } from '@tensorflow/tfjs-core';
import type { NativeKernelAddon } from './native-addon';
import { float32Memory, type NativeBackendName } from './tensor-memory';

/** True when `axes` are exactly 0 … rank−2 (in any order), i.e. all but the last axis. */
function isLeadingAxes(axes: number[], rank: number): boolean {
  const sorted = [...new Set(axes)].sort((a, b) => a - b);
  return rank >= 2 && sorted.length === rank - 1 && sorted.every((axis, i) => axis === i);
}

export function makeSum(
  addon: NativeKernelAddon,
  backendName: NativeBackendName,
  fallback: KernelFunc,
): KernelFunc {
  return (args) => {
    const { x } = args.inputs;
    const { axis, keepDims } = args.attrs as unknown as SumAttrs;
    if (x === undefined) throw new Error('Sum needs x');
    const rank = x.shape.length;
    const axes = util.parseAxisParam(axis, x.shape);
    if (x.dtype !== 'float32' || !isLeadingAxes(axes, rank)) return fallback(args);
    const cols = x.shape[rank - 1] ?? 0;
    const rows = util.sizeFromShape(x.shape.slice(0, -1));
    const shape = keepDims ? [...x.shape.slice(0, -1).map(() => 1), cols] : [cols];
    const memory = float32Memory(args.backend as KernelBackend, backendName);
    const output = memory.allocate(shape);
    addon.sumLeadingAxes(memory.read(x), output.data(), rows, cols);
    return output.info;
  };
}
