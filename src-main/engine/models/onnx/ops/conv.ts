/**
 * Conv (2-D): Y = X ⊛ W + B with X [N,C,H,W], W [O, C/g, kh, kw], B [O].
 *
 * The weights are converted once, here: OIHW → HWIO [kh,kw,C/g,O], the engine's layout, and a
 * dilation d > 1 is folded into the filter by spacing its taps d apart with zeros (a filter of
 * (k − 1)·d + 1 taps). That costs multiplications by zero but keeps every convolution on the
 * engine's FusedConv2D kernel (native im2col/Winograd where present) and its registered
 * gradient, which supports dilation 1 only (as does tfjs-core's Conv2D gradient, which
 * asserts it; tfjs' conv2d also takes no dilation with a stride > 1). The input gradient is
 * then exact, not an approximation: with W' the zero-spaced filter, X ⊛_d W = X ⊛ W' as
 * functions of X, so ∂/∂X is Conv2DBackpropInput(dY, W') — the transposed convolution by the
 * same taps. test/reference/onnx_fixtures.py's dilated-cnn checks it against PyTorch on every
 * path below (dilation 2, dilation (2,3) at stride 2, depthwise, grouped). Groups:
 *   g = 1:                    one FusedConv2D (bias, and a following ReLU when fused)
 *   g = C, O = m·C (depthwise): tf.depthwiseConv2d with filter [kh,kw,C,m], W[c·m+j] → [..,c,j]
 *   otherwise:                g FusedConv2Ds on channel slices, concatenated.
 */
import * as tf from '@tensorflow/tfjs-core';
import { fusedConv2d } from '../../layers';
import { onnxOpAttributes } from '../onnx-op-catalog';
import type { OpTranslator } from '../op-registry';
import { nhwc, nhwcValue } from '../layout';
import { kernel, Refusal, requireInput } from '../values';
import { pair, spatialPads, tfPadding } from './spatial-padding';

/** W [O,I,kh,kw] (flat, row-major) → HWIO [(kh−1)d+1, (kw−1)d+1, I, O], dilation folded in. */
export function hwioFilter(
  values: Float32Array,
  shape: readonly [number, number, number, number],
  dilations: readonly number[],
): tf.Tensor4D {
  const [o, i, kh, kw] = shape;
  const [dh, dw] = [dilations[0] ?? 1, dilations[1] ?? 1];
  const [fh, fw] = [(kh - 1) * dh + 1, (kw - 1) * dw + 1];
  const out = new Float32Array(fh * fw * i * o);
  for (let oc = 0; oc < o; oc++) {
    for (let ic = 0; ic < i; ic++) {
      for (let y = 0; y < kh; y++) {
        for (let x = 0; x < kw; x++) {
          const source = ((oc * i + ic) * kh + y) * kw + x;
          const target = ((y * dh * fw + x * dw) * i + ic) * o + oc;
          out[target] = values[source] ?? 0;
        }
      }
    }
  }
  return tf.tensor4d(out, [fh, fw, i, o]);
}

export const conv: OpTranslator = {
  opType: 'Conv',
  attributes: onnxOpAttributes.Conv,
  translate(node, inputs) {
    const x = requireInput(inputs[0], 'input X');
    const w = requireInput(inputs[1], 'weight W');
    if (w.constant === undefined) throw new Refusal('the weight W must be a constant');
    if (w.constant.rank !== 4) {
      throw new Refusal(`only 2-D convolutions are supported, W has rank ${w.constant.rank}`);
    }
    const shape = w.constant.shape as [number, number, number, number];
    const [outChannels, groupChannels, kh, kw] = shape;
    const a = node.attributes;
    const kernelShape = a.ints('kernel_shape');
    if (kernelShape !== undefined && (kernelShape[0] !== kh || kernelShape[1] !== kw)) {
      throw new Refusal(`kernel_shape [${kernelShape.join(', ')}] does not match W`);
    }
    const strides = pair(a.ints('strides'), 1, 'strides');
    const dilations = pair(a.ints('dilations'), 1, 'dilations');
    const groups = a.int('group', 1);
    const inChannels = x.shape[1];
    if (typeof inChannels === 'number' && inChannels !== groupChannels * groups) {
      throw new Refusal(`X has ${inChannels} channels, W expects ${groupChannels}·${groups}`);
    }
    if (outChannels % groups !== 0) throw new Refusal(`${outChannels} filters in ${groups} groups`);
    const pads = spatialPads(a, x.shape.slice(2), [kh, kw], strides, dilations);
    const pad = tfPadding(pads);
    const b = inputs[2];
    if (b !== undefined && b.constant === undefined) {
      throw new Refusal('the bias B must be a constant');
    }
    const bias = b?.constant ?? tf.zeros([outChannels]);
    const activation = node.fusedActivation ?? 'linear';
    const weights = w.constant.dataSync() as Float32Array;

    if (groups === 1) {
      const filter = hwioFilter(weights, shape, dilations);
      return kernel(([input]) => [
        nhwcValue(
          fusedConv2d(
            nhwc(requireInput(input, 'X')),
            filter,
            bias as tf.Tensor1D,
            strides,
            pad,
            activation,
          ),
        ),
      ]);
    }
    if (groupChannels === 1) {
      // Depthwise: W [C·m,1,kh,kw] read as [C,m,kh,kw] → [kh,kw,m,C] → [kh,kw,C,m], exactly tfjs'
      // depthwise filter (its output channel c·m + j is ONNX's filter c·m + j).
      const multiplier = outChannels / groups;
      const filter = tf.tidy(() =>
        tf.transpose(hwioFilter(weights, [groups, multiplier, kh, kw], dilations), [0, 1, 3, 2]),
      );
      return kernel(([input]) => {
        let y = tf.depthwiseConv2d(
          nhwc(requireInput(input, 'X')),
          filter,
          strides as [number, number],
          pad,
        );
        y = tf.add(y, bias);
        return [nhwcValue(activation === 'relu' ? tf.relu(y) : y)];
      });
    }
    const perGroup = outChannels / groups;
    const filters = Array.from({ length: groups }, (_, g) =>
      hwioFilter(
        weights.subarray(
          g * perGroup * groupChannels * kh * kw,
          (g + 1) * perGroup * groupChannels * kh * kw,
        ),
        [perGroup, groupChannels, kh, kw],
        dilations,
      ),
    );
    const biases = Array.from({ length: groups }, (_, g) =>
      tf.slice(bias, [g * perGroup], [perGroup]),
    );
    return kernel(([input]) => {
      const xs = nhwc(requireInput(input, 'X'));
      const outputs = filters.map((filter, g) =>
        fusedConv2d(
          tf.slice(xs, [0, 0, 0, g * groupChannels], [-1, -1, -1, groupChannels]),
          filter,
          biases[g] as tf.Tensor1D,
          strides,
          pad,
          activation,
        ),
      );
      return [nhwcValue(tf.concat(outputs, 3))];
    });
  },
};
