/**
 * Relu, Step, Add and Multiply natively (native/src/elementwise.c), multi-threaded, for the
 * shapes a step runs over whole activations: same-shape operands, or one operand per channel (a
 * bias [C], or a scalar) against an NHWC tensor. Any other broadcast or dtype is the replaced
 * kernel's.
 *
 * And one kernel of the project's own, ReluGradient (inputs dy, x): dy · step(x) in one pass,
 * the ReLU's gradient that tfjs forms from a Step and a Multiply. No backend has it; the
 * gradients call it only where it is the native one (gradients/relu-gradient.ts).
 */
import { util } from '@tensorflow/tfjs-core';
import type { KernelBackend, KernelFunc, StepAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import type { NativeKernelAddon } from './native-addon';
import { float32Memory, type NativeBackendName } from './tensor-memory';

type KernelMaker = (
  addon: NativeKernelAddon,
  backendName: NativeBackendName,
  fallback: KernelFunc,
) => KernelFunc;

function unaryKernel(
  run: (addon: NativeKernelAddon, x: Float32Array, out: Float32Array, attrs: object) => void,
): KernelMaker {
  return (addon, backendName, fallback) => (args) => {
    const { x } = args.inputs;
    if (x === undefined) throw new Error('an elementwise kernel needs x');
    if (x.dtype !== 'float32') return fallback(args);
    const memory = float32Memory(args.backend as KernelBackend, backendName);
    const output = memory.allocate([...x.shape]);
    run(addon, memory.read(x), output.data(), args.attrs ?? {});
    return output.info;
  };
}

export const makeRelu = unaryKernel((addon, x, out) => addon.relu(x, out));
export const makeStep = unaryKernel((addon, x, out, attrs) =>
  addon.step(x, out, (attrs as StepAttrs).alpha ?? 0),
);

/**
 * Whether `small` cycles along `big`'s flat data: it has `big`'s last dimension (or one
 * element) and only 1s before it, and no more dimensions than `big`.
 */
function cyclesAlong(small: TensorInfo, big: TensorInfo): boolean {
  const size = util.sizeFromShape(small.shape);
  if (small.shape.length > big.shape.length) return false;
  if (size === 1) return true;
  const last = small.shape[small.shape.length - 1];
  return last === big.shape[big.shape.length - 1] && small.shape.slice(0, -1).every((d) => d === 1);
}

function binaryKernel(
  run: (addon: NativeKernelAddon, a: Float32Array, b: Float32Array, out: Float32Array) => void,
): KernelMaker {
  return (addon, backendName, fallback) => (args) => {
    const { a, b } = args.inputs;
    if (a === undefined || b === undefined) throw new Error('a binary kernel needs a and b');
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return fallback(args);
    const sameShape = util.arraysEqual(a.shape, b.shape);
    // Both operations commute, so the per-channel operand may be either one.
    const [big, small] = sameShape || cyclesAlong(b, a) ? [a, b] : cyclesAlong(a, b) ? [b, a] : [];
    if (big === undefined || small === undefined || util.sizeFromShape(big.shape) === 0) {
      return fallback(args);
    }
    const memory = float32Memory(args.backend as KernelBackend, backendName);
    const output = memory.allocate([...big.shape]);
    run(addon, memory.read(big), memory.read(small), output.data());
    return output.info;
  };
}

export const makeAdd = binaryKernel((addon, a, b, out) => addon.add(a, b, out));
export const makeMultiply = binaryKernel((addon, a, b, out) => addon.multiply(a, b, out));

/** The project's ReluGradient kernel's name (see above); no tfjs backend defines one. */
export const RELU_GRADIENT_KERNEL = 'ReluGradient';

export const makeReluGradient: KernelMaker = (addon, backendName) => (args) => {
  const { dy, x } = args.inputs;
  if (dy === undefined || x === undefined) throw new Error('ReluGradient needs dy and x');
  if (dy.dtype !== 'float32' || x.dtype !== 'float32' || !util.arraysEqual(dy.shape, x.shape)) {
    throw new Error(
      `ReluGradient takes float32 dy and x of one shape, got ${dy.dtype} [${dy.shape.join(', ')}] ` +
        `and ${x.dtype} [${x.shape.join(', ')}]`,
    );
  }
  const memory = float32Memory(args.backend as KernelBackend, backendName);
  const output = memory.allocate([...dy.shape]);
  addon.reluGradient(memory.read(dy), memory.read(x), output.data());
  return output.info;
};
