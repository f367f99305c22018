/**
 * Pad, constant mode (and reflect, through tf.mirrorPad): pads [b₀…b_{r−1}, e₀…e_{r−1}] as an
 * attribute before opset 11, as an input (with an optional constant_value input) from 11 on.
 * On an NHWC value the logical begin/end pairs are permuted to the physical axes (N,H,W,C).
 * Negative pads (crops) and 'edge' mode are refused.
 */
import * as tf from '@tensorflow/tfjs-core';
import { onnxOpAttributes } from '../onnx-op-catalog';
import type { OpTranslator } from '../op-registry';
import { toNhwcPermutation } from '../layout';
import { kernel, Refusal, requireInput } from '../values';
import { concreteInts } from './static-ints';

export const pad: OpTranslator = {
  opType: 'Pad',
  attributes: onnxOpAttributes.Pad,
  translate(node, inputs, context) {
    const x = requireInput(inputs[0], 'data');
    const rank = x.shape.length;
    const a = node.attributes;
    const mode = a.string('mode', 'constant');
    if (mode !== 'constant' && mode !== 'reflect')
      throw new Refusal(`mode ${mode} is not supported`);
    const fromInputs = context.opset >= 11;
    const pads = fromInputs ? concreteInts(inputs[1], 'pads') : (a.ints('pads') ?? []);
    if (pads.length !== 2 * rank)
      throw new Refusal(`pads must have ${2 * rank} values, got ${pads.length}`);
    if (pads.some((p) => p < 0)) throw new Refusal('negative pads (crops) are not supported');
    if (fromInputs && inputs[3] !== undefined) throw new Refusal('the axes input is not supported');
    let value = a.float('value', 0);
    if (fromInputs && inputs[2] !== undefined) {
      const c = inputs[2].constant;
      if (c === undefined || c.size !== 1)
        throw new Refusal('constant_value must be a constant scalar');
      value = c.dataSync()[0] ?? 0;
    }
    const pairs = Array.from({ length: rank }, (_, i): [number, number] => [
      pads[i] ?? 0,
      pads[i + rank] ?? 0,
    ]);
    const nhwcPairs =
      rank === 4 ? toNhwcPermutation.map((i) => pairs[i] as [number, number]) : pairs;
    return kernel(([input]) => {
      const v = requireInput(input, 'data');
      const p = v.layout === 'nhwc' ? nhwcPairs : pairs;
      const y =
        mode === 'reflect' ? tf.mirrorPad(v.tensor, p, 'reflect') : tf.pad(v.tensor, p, value);
      return [{ tensor: y, layout: v.layout }];
    });
  },
};
