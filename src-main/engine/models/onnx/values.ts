/**
 * What the translator knows about each value of an ONNX graph, and the shape of a translated op.
 *
 * Layout: ONNX image tensors are NCHW; the engine's convolutions, pools and the native kernels
 * are NHWC. A 4-D value is therefore carried in one of two physical layouts: 'onnx' (as ONNX
 * describes it) or 'nhwc' (ONNX's logical [N,C,H,W] stored as [N,H,W,C]). Ops that care about
 * the channel axis (Conv, pools, BatchNormalization, per-channel arithmetic) take and give
 * 'nhwc'; ops that address axes by number (Flatten, Reshape, Transpose, …) work on the logical
 * tensor and convert where needed. A graph whose input arrives as the workbench's NHWC images
 * thus runs from input to logits without a single layout transpose before the flatten.
 */
import type * as tf from '@tensorflow/tfjs-core';

/** A dimension known at import, or 'N': the batch size, known only when the model runs. */
export type Dim = number | 'N';

export type Layout = 'onnx' | 'nhwc';

/** A runtime tensor and its physical layout ('nhwc' only for rank 4). */
export interface LaidOut {
  readonly tensor: tf.Tensor;
  readonly layout: Layout;
}

export interface RunContext {
  /** The batch size of this run: the value of 'N'. */
  readonly batch: number;
}

export type Kernel = (inputs: readonly (LaidOut | undefined)[], run: RunContext) => LaidOut[];

/**
 * A small integer vector or scalar known at import (a shape, an axis list, a Reshape target),
 * possibly holding 'N': PyTorch's `x.view(x.size(0), -1)` becomes Shape → Gather → Unsqueeze →
 * Concat → Reshape, which folds to the target [N, −1].
 */
export interface SymbolicInts {
  readonly values: readonly Dim[];
  readonly scalar: boolean;
}

export interface ValueInfo {
  /**
   * The logical (ONNX) shape: a number, 'N', or null for a size that depends on the batch in
   * another way (e.g. Flatten with axis 0 gives N·C·H·W).
   */
  readonly shape: readonly (Dim | null)[];
  readonly dtype: tf.DataType;
  /** The value, in the logical layout, when it is known at import (weights, folded constants). */
  readonly constant?: tf.Tensor;
  /** The value as integers, when it is an integer scalar or vector known at import. */
  readonly ints?: SymbolicInts;
}

/** A translated node: a kernel run with the model, or integers folded at import. */
export type Translation =
  | { readonly kind: 'kernel'; readonly run: Kernel }
  | { readonly kind: 'ints'; readonly outputs: readonly SymbolicInts[] };

export function kernel(run: Kernel): Translation {
  return { kind: 'kernel', run };
}

/** Thrown by a translator for what it cannot take; the graph names the node and op. */
export class Refusal extends Error {}

/** An import refused: one message naming the node, the op and the reason. */
export class OnnxImportError extends Error {
  constructor(
    readonly node: string,
    readonly op: string,
    readonly reason: string,
  ) {
    super(`ONNX node "${node}" (${op}): ${reason}`);
    this.name = 'OnnxImportError';
  }
}

export function requireInput<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Refusal(`${what} is missing`);
  return value;
}

/** The logical shape with every size known at import, or a refusal saying which is not. */
export function staticShape(info: ValueInfo, what: string): number[] {
  return info.shape.map((d, i) => {
    if (typeof d !== 'number') {
      throw new Refusal(`${what} needs a static size on axis ${i}, got ${d ?? 'a dynamic size'}`);
    }
    return d;
  });
}
