/**
 * The padding of a 2-D window (convolution or pooling) from ONNX's `pads` and `auto_pad`.
 * ONNX writes pads as [top, left, bottom, right] (all begins, then all ends). For SAME_*:
 *   out = ⌈in / s⌉,  total = max(0, (out − 1)·s + (k − 1)·d + 1 − in)
 *   SAME_UPPER puts ⌊total/2⌋ before (TensorFlow's 'same'), SAME_LOWER ⌈total/2⌉ before.
 */
import type { NodeAttributes } from '../attributes';
import { Refusal } from '../values';

/** [before, after] per spatial axis (height, width). */
export type SpatialPads = [[number, number], [number, number]];

export function spatialPads(
  attributes: NodeAttributes,
  inSizes: readonly (number | null | 'N')[],
  kernel: readonly number[],
  strides: readonly number[],
  dilations: readonly number[],
): SpatialPads {
  const autoPad = attributes.string('auto_pad', 'NOTSET');
  if (autoPad === 'NOTSET') {
    const pads = attributes.ints('pads') ?? [0, 0, 0, 0];
    if (pads.length !== 4) throw new Refusal(`pads must have 4 values, got ${pads.length}`);
    if (pads.some((p) => p < 0)) throw new Refusal('negative pads are not supported');
    const [top, left, bottom, right] = pads as [number, number, number, number];
    return [
      [top, bottom],
      [left, right],
    ];
  }
  if (autoPad === 'VALID') {
    return [
      [0, 0],
      [0, 0],
    ];
  }
  if (autoPad !== 'SAME_UPPER' && autoPad !== 'SAME_LOWER') {
    throw new Refusal(`auto_pad ${autoPad} is not supported`);
  }
  const axis = (i: number): [number, number] => {
    const size = inSizes[i];
    if (typeof size !== 'number') throw new Refusal(`auto_pad ${autoPad} needs static sizes`);
    const stride = strides[i] ?? 1;
    const out = Math.ceil(size / stride);
    const total = Math.max(
      0,
      (out - 1) * stride + ((kernel[i] ?? 1) - 1) * (dilations[i] ?? 1) + 1 - size,
    );
    const before = autoPad === 'SAME_UPPER' ? Math.floor(total / 2) : Math.ceil(total / 2);
    return [before, total - before];
  };
  return [axis(0), axis(1)];
}

/** A pair [height, width] from an attribute, with its default. */
export function pair(values: number[] | undefined, fallback: number, name: string): number[] {
  const v = values ?? [fallback, fallback];
  if (v.length !== 2) throw new Refusal(`${name} must have 2 values (2-D only), got ${v.length}`);
  return v;
}

/** tfjs explicit padding for NHWC, or 'valid' where there is none. */
export function tfPadding(
  pads: SpatialPads,
): 'valid' | [[0, 0], [number, number], [number, number], [0, 0]] {
  if (pads.flat().every((p) => p === 0)) return 'valid';
  return [[0, 0], pads[0], pads[1], [0, 0]];
}
