/**
 * 2-D pooling on NHWC values. Output size per spatial axis, window k' = (k − 1)·d + 1:
 *   floor mode: ⌊(in + p_b + p_e − k')/s⌋ + 1
 *   ceil mode:  ⌈(in + p_b + p_e − k')/s⌉ + 1, less one if the last window would start in the
 *               end padding ((out − 1)·s ≥ in + p_b), as ONNX and PyTorch define it.
 * Both pools pad explicitly (MaxPool with −∞, AveragePool with 0) and then pool 'valid', so every
 * ONNX padding (asymmetric, SAME_LOWER, the extra end rows of ceil mode) is expressible.
 * AveragePool's divisor is the number of window cells inside the input (count_include_pad = 0)
 * or inside input + explicit pads (= 1; the ceil-mode rows never count): the 'valid' average
 * over the padded tensor is rescaled by k²/count, a constant map made once here.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NodeAttributes } from '../attributes';
import { onnxOpAttributes } from '../onnx-op-catalog';
import type { OpTranslator } from '../op-registry';
import { nhwc, nhwcValue } from '../layout';
import { kernel, Refusal, requireInput, staticShape, type ValueInfo } from '../values';
import { pair, spatialPads } from './spatial-padding';

interface Window {
  kernel: number[];
  strides: number[];
  dilations: number[];
  /** [before, after] per axis, the ceil-mode rows included in after. */
  pads: [[number, number], [number, number]];
  /** the explicit pads alone (for count_include_pad). */
  explicit: [[number, number], [number, number]];
  inSizes: [number, number];
  outSizes: [number, number];
}

function poolWindow(attributes: NodeAttributes, x: ValueInfo): Window {
  const kernelShape = attributes.ints('kernel_shape');
  if (kernelShape === undefined) throw new Refusal('kernel_shape is required');
  if (kernelShape.length !== 2) {
    throw new Refusal(`only 2-D pooling is supported, got a ${kernelShape.length}-D window`);
  }
  if (attributes.int('storage_order', 0) !== 0)
    throw new Refusal('storage_order 1 is not supported');
  const strides = pair(attributes.ints('strides'), 1, 'strides');
  const dilations = pair(attributes.ints('dilations'), 1, 'dilations');
  if (x.shape.length !== 4)
    throw new Refusal(`only 2-D pooling is supported, X has rank ${x.shape.length}`);
  const [h, w] = staticShape({ ...x, shape: x.shape.slice(2) }, 'pooling (height and width)') as [
    number,
    number,
  ];
  const explicit = spatialPads(attributes, [h, w], kernelShape, strides, dilations);
  const ceil = attributes.int('ceil_mode', 0) === 1;
  const pads: Window['pads'] = [[...explicit[0]], [...explicit[1]]];
  const outSizes = [h, w].map((size, i) => {
    const [before, after] = explicit[i] as [number, number];
    const extent = ((kernelShape[i] ?? 1) - 1) * (dilations[i] ?? 1) + 1;
    const stride = strides[i] ?? 1;
    const span = size + before + after - extent;
    if (span < 0) throw new Refusal(`the window is larger than the padded input on axis ${i}`);
    let out = (ceil ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
    if (ceil && (out - 1) * stride >= size + before) out -= 1;
    // Rows the last window reaches beyond the explicit padding (ceil mode only).
    const needed = (out - 1) * stride + extent;
    (pads[i] as [number, number])[1] += Math.max(0, needed - (size + before + after));
    return out;
  }) as [number, number];
  return { kernel: kernelShape, strides, dilations, pads, explicit, inSizes: [h, w], outSizes };
}

function padded(x: tf.Tensor4D, window: Window, value: number): tf.Tensor4D {
  if (window.pads.flat().every((p) => p === 0)) return x;
  return tf.pad(x, [[0, 0], window.pads[0], window.pads[1], [0, 0]], value);
}

function rejectExtraOutputs(outputs: readonly string[], what: string): void {
  if (outputs.filter((o) => o !== '').length > 1)
    throw new Refusal(`the ${what} output is not supported`);
}

const maxPool: OpTranslator = {
  opType: 'MaxPool',
  attributes: onnxOpAttributes.MaxPool,
  translate(node, inputs) {
    rejectExtraOutputs(node.outputs, 'Indices');
    const x = requireInput(inputs[0], 'input X');
    if (x.dtype !== 'float32') throw new Refusal(`${x.dtype} input is not supported (float only)`);
    const window = poolWindow(node.attributes, x);
    const size = window.kernel as [number, number];
    const strides = window.strides as [number, number];
    const dilated = window.dilations.some((d) => d !== 1);
    return kernel(([input]) => {
      const xs = padded(nhwc(requireInput(input, 'X')), window, -Infinity);
      if (!dilated) return [nhwcValue(tf.maxPool(xs, size, strides, 'valid'))];
      // tfjs pools with dilation at stride 1 only: pool densely, then keep every s-th row.
      const dense = tf.pool(xs, size, 'max', 'valid', window.dilations as [number, number], 1);
      const [ho, wo] = window.outSizes;
      return [
        nhwcValue(
          tf.stridedSlice(
            dense,
            [0, 0, 0, 0],
            [dense.shape[0], (ho - 1) * strides[0] + 1, (wo - 1) * strides[1] + 1, dense.shape[3]],
            [1, strides[0], strides[1], 1],
          ),
        ),
      ];
    });
  },
};

/** count[i,j]: the cells of window (i,j) inside the input (+ the explicit pads if included). */
function windowCounts(window: Window, includePad: boolean): Float32Array {
  const [ho, wo] = window.outSizes;
  const axis = (a: 0 | 1, index: number): number => {
    const [before] = window.pads[a];
    const [explicitBefore, explicitAfter] = window.explicit[a];
    const low = includePad ? -explicitBefore : 0;
    const high = window.inSizes[a] + (includePad ? explicitAfter : 0);
    const start = index * (window.strides[a] ?? 1) - before;
    let count = 0;
    for (let k = 0; k < (window.kernel[a] ?? 1); k++) {
      const position = start + k;
      if (position >= low && position < high) count++;
    }
    return count;
  };
  const counts = new Float32Array(ho * wo);
  for (let i = 0; i < ho; i++)
    for (let j = 0; j < wo; j++) counts[i * wo + j] = axis(0, i) * axis(1, j);
  return counts;
}

/** One undilated window, unpadded, exactly the input's size: a 1×1 output of the whole mean. */
function coversWholeInput(window: Window): boolean {
  return [0, 1].every(
    (axis) =>
      window.kernel[axis] === window.inSizes[axis] &&
      window.dilations[axis] === 1 &&
      window.outSizes[axis] === 1 &&
      window.pads[axis]?.[0] === 0 &&
      window.pads[axis]?.[1] === 0,
  );
}

const averagePool: OpTranslator = {
  opType: 'AveragePool',
  attributes: onnxOpAttributes.AveragePool,
  translate(node, inputs) {
    const x = requireInput(inputs[0], 'input X');
    if (x.dtype !== 'float32') throw new Refusal(`${x.dtype} input is not supported (float only)`);
    const window = poolWindow(node.attributes, x);
    const includePad = node.attributes.int('count_include_pad', 0) === 1;
    const cells = (window.kernel[0] ?? 1) * (window.kernel[1] ?? 1);
    const counts = windowCounts(window, includePad);
    const rescale = counts.every((c) => c === cells)
      ? undefined
      : tf.tensor4d(
          counts.map((c) => cells / c),
          [1, ...window.outSizes, 1],
        );
    const size = window.kernel as [number, number];
    const strides = window.strides as [number, number];
    if (coversWholeInput(window)) {
      // One window over exactly the unpadded input (a ResNet's final avg_pool2d(out, 4)): the
      // mean over H and W, the same sum divided by the same k², whose gradient is a broadcast
      // where tfjs' AvgPoolGrad took 3 ms per PGD step on [32, 4, 4, 512] (1.5% of bench W5).
      return kernel(([input]) => [
        nhwcValue(tf.mean(nhwc(requireInput(input, 'X')), [1, 2], true)),
      ]);
    }
    return kernel(([input]) => {
      const mean = tf.avgPool(
        padded(nhwc(requireInput(input, 'X')), window, 0),
        size,
        strides,
        'valid',
      );
      return [nhwcValue(rescale === undefined ? mean : tf.mul(mean, rescale))];
    });
  },
};

/** GlobalAveragePool: [N,C,H,W] → [N,C,1,1], the mean over H and W. */
const globalAveragePool: OpTranslator = {
  opType: 'GlobalAveragePool',
  attributes: onnxOpAttributes.GlobalAveragePool,
  translate(_node, inputs) {
    const x = requireInput(inputs[0], 'input X');
    if (x.shape.length !== 4)
      throw new Refusal(`only 2-D pooling is supported, X has rank ${x.shape.length}`);
    return kernel(([input]) => [nhwcValue(tf.mean(nhwc(requireInput(input, 'X')), [1, 2], true))]);
  },
};

export const pooling: OpTranslator[] = [maxPool, averagePool, globalAveragePool];
