/**
 * The shape computations PyTorch emits around a Reshape, folded at import into integers that
 * may hold 'N' (the batch): Shape, Gather (axis 0 of a shape vector), Cast, Slice. Gather and
 * Slice of any other tensor (activations, float constants) are kernels: runtime-indexing.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import { onnxOpAttributes } from '../onnx-op-catalog';
import type { OpTranslator } from '../op-registry';
import { onnxValue } from '../layout';
import {
  kernel,
  Refusal,
  requireInput,
  type Dim,
  type Translation,
  type ValueInfo,
} from '../values';
import { runtimeGather, runtimeSlice } from './runtime-indexing';
import { concreteInts, ints, normalizeAxis, symbolicInts } from './static-ints';

const shape: OpTranslator = {
  opType: 'Shape',
  attributes: onnxOpAttributes.Shape,
  translate(node, inputs) {
    const x = requireInput(inputs[0], 'input');
    const rank = x.shape.length;
    const clamp = (v: number) => Math.min(rank, Math.max(0, v < 0 ? v + rank : v));
    const start = clamp(node.attributes.int('start', 0));
    const end = clamp(node.attributes.int('end', rank));
    const dims = x.shape.slice(start, end).map((d, i) => {
      if (d === null) {
        throw new Refusal(
          `axis ${start + i} has a size that depends on the batch size; it cannot be folded`,
        );
      }
      return d;
    });
    return { kind: 'ints', outputs: [ints(dims)] };
  },
};

/** Integer indices of any rank known at import (rank ≤ 1 ones arrive as ints instead). */
function constantIndices(info: ValueInfo): number[] {
  if (info.constant === undefined || info.dtype !== 'int32') {
    throw new Refusal('the indices must be integers known at import');
  }
  return Array.from(info.constant.dataSync());
}

const gather: OpTranslator = {
  opType: 'Gather',
  attributes: onnxOpAttributes.Gather,
  translate(node, inputs): Translation {
    const data = requireInput(inputs[0], 'data');
    const indicesInfo = requireInput(inputs[1], 'indices');
    if (data.ints === undefined) {
      const [values, indexShape] = indicesInfo.ints
        ? [
            concreteInts(indicesInfo, 'indices'),
            indicesInfo.ints.scalar ? [] : [indicesInfo.ints.values.length],
          ]
        : [constantIndices(indicesInfo), indicesInfo.shape as number[]];
      return runtimeGather(data, node.attributes.int('axis', 0), values, indexShape);
    }
    const indices = concreteInts(inputs[1], 'indices');
    if (node.attributes.int('axis', 0) !== 0 || data.ints.scalar) {
      throw new Refusal('a shape vector is gathered along axis 0 only');
    }
    const values = data.ints.values;
    const picked = indices.map((i) => values[normalizeAxis(i, values.length)] as Dim);
    return { kind: 'ints', outputs: [ints(picked, indicesInfo.ints?.scalar === true)] };
  },
};

const integerTypes = new Set([2, 3, 4, 5, 6, 7, 12, 13]);
const floatTypes = new Set([1, 11]);

const cast: OpTranslator = {
  opType: 'Cast',
  attributes: onnxOpAttributes.Cast,
  translate(node, inputs): Translation {
    const x = requireInput(inputs[0], 'input');
    const to = node.attributes.int('to', 0);
    if (x.ints !== undefined && integerTypes.has(to)) return { kind: 'ints', outputs: [x.ints] };
    if (floatTypes.has(to)) {
      if (x.dtype === 'float32') return kernel(([v]) => [requireInput(v, 'input')]);
      if (x.constant !== undefined) {
        return kernel(([v]) => [onnxValue(tf.cast(requireInput(v, 'input').tensor, 'float32'))]);
      }
    }
    throw new Refusal(`a cast of a ${x.dtype} value to type ${to} is not supported`);
  },
};

/**
 * Slice: starts/ends/axes/steps as attributes (opset < 10, no steps) or inputs (≥ 10). A shape
 * vector is folded here; any other tensor is sliced by a kernel (runtime-indexing.ts).
 */
const slice: OpTranslator = {
  opType: 'Slice',
  attributes: onnxOpAttributes.Slice,
  translate(node, inputs, context): Translation {
    const data = requireInput(inputs[0], 'data');
    const a = node.attributes;
    const fromInputs = context.opset >= 10;
    const starts = fromInputs ? concreteInts(inputs[1], 'starts') : (a.ints('starts') ?? []);
    const ends = fromInputs ? concreteInts(inputs[2], 'ends') : (a.ints('ends') ?? []);
    const axes = fromInputs ? inputs[3] && concreteInts(inputs[3], 'axes') : a.ints('axes');
    const givenSteps = fromInputs && inputs[4] ? concreteInts(inputs[4], 'steps') : undefined;
    if (data.ints === undefined) return runtimeSlice(data, starts, ends, axes, givenSteps);
    if (data.ints.scalar) throw new Refusal('a scalar cannot be sliced');
    const steps = givenSteps ?? [1];
    if ((axes ?? [0]).some((axis) => normalizeAxis(axis, 1) !== 0) || steps.some((s) => s !== 1)) {
      throw new Refusal('a shape vector is sliced along axis 0 with step 1 only');
    }
    const values = symbolicInts(data, 'data').values;
    const n = values.length;
    const clamp = (v: number) => Math.min(n, Math.max(0, v < 0 ? v + n : v));
    return {
      kind: 'ints',
      outputs: [ints(values.slice(clamp(starts[0] ?? 0), clamp(ends[0] ?? n)))],
    };
  },
};

export const staticShape: OpTranslator[] = [shape, gather, cast, slice];
