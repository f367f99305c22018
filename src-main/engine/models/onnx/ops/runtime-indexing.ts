/**
 * Slice and Gather of tensors computed at run time — activations, as in x[:, :, 1:-1],
 * x[:, [0, 2]], x[:, 1] or torch.flip(x, [3]) — with starts/ends/axes/steps and indices known at
 * import, on any axis but the batch axis (whose size is the run's, and which per-example attacks
 * need to pass through unchanged). (static-shape.ts folds the same ops on shape vectors.)
 *
 * Every piece is a kernel whose gradient the engine registers (Slice, Reverse, PadV2, Reshape,
 * Concat), so attacks get ∂/∂x through them; no StridedSlice or GatherV2, whose tfjs gradients
 * are missing or need UnsortedSegmentSum, which the wasm backend lacks.
 *
 * Slice, per axis of size d (ONNX: a negative start or end counts from d; both are clamped to
 * [0, d] for step > 0, to [0, d − 1] and [−1, d − 1] for step < 0) takes the
 * count = max(0, ⌈(end − start) / step⌉) elements start, start + step, …:
 *   1. one tf.slice of the covered range [lo, lo + span) of every axis at once, with
 *      span = (count − 1)·|step| + 1 and lo = start (step > 0) or start + (count − 1)·step;
 *   2. tf.reverse of the axes with step < 0 (the range's last element is the first taken);
 *   3. for |step| = s > 1: the axis padded at the end to count·s, viewed as [count, s], column 0
 *      kept: the range's elements 0, s, 2s, …
 * Gather (axis a, constant indices q, a negative index counting from d) = the concatenation
 * along a of one tf.slice per run of consecutive indices, reshaped to
 * data.shape[:a] + q.shape + data.shape[a+1:]. Its gradient, Concat's split then Slice's
 * zero-padding, adds up the gradients of a repeated index, as Gather's scatter-add does.
 *
 * Layout: a 4-D NHWC value stays NHWC when the rank is kept (every Slice; Gather with 1-D
 * indices), its logical axis [N,C,H,W] read as physical axis [0,3,1,2]; other Gathers take the
 * value in ONNX's layout.
 */
import * as tf from '@tensorflow/tfjs-core';
import { logical, nhwcValue, onnxValue } from '../layout';
import { kernel, Refusal, requireInput, type Translation, type ValueInfo } from '../values';
import { normalizeAxis } from './static-ints';

/** Physical NHWC axis of each logical [N,C,H,W] axis. */
const nhwcAxis = [0, 3, 1, 2];

/** The size of a non-batch axis, known at import. */
function indexedSize(data: ValueInfo, axis: number): number {
  const size = data.shape[axis];
  if (size === 'N') throw new Refusal(`axis ${axis} is the batch axis, which cannot be indexed`);
  if (typeof size !== 'number') throw new Refusal(`axis ${axis} needs a size known at import`);
  return size;
}

/** What a Slice takes of one axis: `count` elements, `step` apart, within [lo, lo + span). */
interface AxisSlice {
  readonly axis: number;
  readonly step: number;
  readonly count: number;
  readonly lo: number;
  readonly span: number;
}

/** ONNX Slice's clamping rules for one axis of size d. */
function axisSlice(axis: number, d: number, start: number, end: number, step: number): AxisSlice {
  if (step === 0) throw new Refusal(`axis ${axis} has step 0`);
  const clamp = (v: number, low: number, high: number) => Math.min(high, Math.max(low, v));
  const from = start < 0 ? start + d : start;
  const to = end < 0 ? end + d : end;
  const [s, e] =
    step > 0 ? [clamp(from, 0, d), clamp(to, 0, d)] : [clamp(from, 0, d - 1), clamp(to, -1, d - 1)];
  const count = Math.max(0, Math.ceil((e - s) / step));
  const span = count === 0 ? 0 : (count - 1) * Math.abs(step) + 1;
  const lo = count === 0 ? 0 : step > 0 ? s : s + (count - 1) * step;
  return { axis, step, count, lo, span };
}

/** Elements 0, s, 2s, … (count of them) of an axis holding (count − 1)·s + 1. */
function everyNth(y: tf.Tensor, axis: number, s: number, count: number): tf.Tensor {
  const padded = tf.pad(
    y,
    y.shape.map((_, i): [number, number] => [0, i === axis ? s - 1 : 0]),
  );
  const grouped = [...y.shape.slice(0, axis), count, s, ...y.shape.slice(axis + 1)];
  const size = grouped.map((extent, i) => (i === axis + 1 ? 1 : extent));
  const out = y.shape.map((extent, i) => (i === axis ? count : extent));
  return tf.reshape(
    tf.slice(tf.reshape(padded, grouped), new Array<number>(grouped.length).fill(0), size),
    out,
  );
}

/** The three steps of the header on a tensor, the axes physical. */
function applySlice(x: tf.Tensor, plan: readonly AxisSlice[]): tf.Tensor {
  const begin = x.shape.map(() => 0);
  const size = [...x.shape];
  for (const a of plan) {
    begin[a.axis] = a.lo;
    size[a.axis] = a.span;
  }
  let y = tf.slice(x, begin, size);
  const reversed = plan.filter((a) => a.step < 0 && a.count > 1).map((a) => a.axis);
  if (reversed.length > 0) y = tf.reverse(y, reversed);
  for (const a of plan) {
    if (Math.abs(a.step) > 1 && a.count > 1) y = everyNth(y, a.axis, Math.abs(a.step), a.count);
  }
  return y;
}

/** Slice of a run-time tensor; axes default to 0…k−1 and steps to 1 (ONNX). */
export function runtimeSlice(
  data: ValueInfo,
  starts: readonly number[],
  ends: readonly number[],
  axes: readonly number[] | undefined,
  steps: readonly number[] | undefined,
): Translation {
  const rank = data.shape.length;
  const axisList = axes ?? starts.map((_, i) => i);
  if (ends.length !== starts.length || axisList.length !== starts.length) {
    throw new Refusal('starts, ends and axes must have the same length');
  }
  if (steps !== undefined && steps.length !== starts.length) {
    throw new Refusal('steps must have one entry per axis');
  }
  const plan = axisList.map((a, i) => {
    const axis = normalizeAxis(a, rank);
    const d = indexedSize(data, axis);
    return axisSlice(axis, d, starts[i] ?? 0, ends[i] ?? d, steps?.[i] ?? 1);
  });
  if (new Set(plan.map((a) => a.axis)).size !== plan.length) {
    throw new Refusal('an axis is sliced twice');
  }
  return kernel(([input]) => {
    const value = requireInput(input, 'data');
    const physical =
      value.layout === 'nhwc'
        ? plan.map((a) => ({ ...a, axis: nhwcAxis[a.axis] ?? a.axis }))
        : plan;
    return [{ tensor: applySlice(value.tensor, physical), layout: value.layout }];
  });
}

/** Runs of consecutive indices, as [first, length]. */
function runsOf(indices: readonly number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const i of indices) {
    const last = runs[runs.length - 1];
    if (last !== undefined && last[0] + last[1] === i) last[1] += 1;
    else runs.push([i, 1]);
  }
  return runs;
}

/** Gather along a non-batch axis of a run-time tensor, at indices known at import. */
export function runtimeGather(
  data: ValueInfo,
  axisAttribute: number,
  indices: readonly number[],
  indexShape: readonly number[],
): Translation {
  const rank = data.shape.length;
  const axis = normalizeAxis(axisAttribute, rank);
  const d = indexedSize(data, axis);
  if (indices.length === 0) throw new Refusal('no indices');
  const runs = runsOf(
    indices.map((i) => {
      if (i < -d || i >= d) throw new Refusal(`index ${i} is out of range for size ${d}`);
      return i < 0 ? i + d : i;
    }),
  );
  const keepsRank = indexShape.length === 1;
  return kernel(([input]) => {
    const value = requireInput(input, 'data');
    const nhwc = value.layout === 'nhwc' && keepsRank;
    const x = nhwc ? value.tensor : logical(value);
    const p = nhwc ? (nhwcAxis[axis] ?? axis) : axis;
    const parts = runs.map(([first, length]) =>
      tf.slice(
        x,
        x.shape.map((_, i) => (i === p ? first : 0)),
        x.shape.map((extent, i) => (i === p ? length : extent)),
      ),
    );
    const joined = parts.length === 1 ? (parts[0] as tf.Tensor) : tf.concat(parts, p);
    if (nhwc) return [nhwcValue(joined)];
    if (keepsRank) return [onnxValue(joined)];
    const shape = [...x.shape.slice(0, axis), ...indexShape, ...x.shape.slice(axis + 1)];
    return [onnxValue(tf.reshape(joined, shape))];
  });
}
