/**
 * Pixel helpers: base64 → typed array → ImageData. Images are row-major HWC with 1 or 3
 * channels; uint8 values are 0..255, float32 values are on the [0,1] pixel scale.
 */
import { interpolateRdBu } from 'd3-scale-chromatic';

export type PixelValues = Uint8Array | Float32Array;

export function decodeBase64(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Decodes an artifact's or image's raw values (little-endian, as every supported CPU is). */
export function decodeValues(base64: string, dtype: 'uint8' | 'float32'): PixelValues {
  const bytes = decodeBase64(base64);
  if (dtype === 'uint8') return bytes;
  // A fresh Uint8Array starts at offset 0 of its own buffer, so the Float32Array view is aligned.
  return new Float32Array(bytes.buffer, 0, Math.floor(bytes.byteLength / 4));
}

export interface ImageShape {
  height: number;
  width: number;
  channels: number;
}

/** Shape [H,W,C] (or [H,W]) → ImageShape; a leading batch dimension of 1 is dropped. */
export function imageShape(shape: readonly number[]): ImageShape {
  const dims = shape.length === 4 && shape[0] === 1 ? shape.slice(1) : shape;
  const [height = 0, width = 0, channels = 1] = dims;
  return { height, width, channels };
}

function toByte(value: number, isUnit: boolean): number {
  const scaled = isUnit ? value * 255 : value;
  return Math.max(0, Math.min(255, Math.round(scaled)));
}

/** An image (grey or RGB) as opaque RGBA. */
export function imageData(values: PixelValues, shape: ImageShape): ImageData {
  const { height, width, channels } = shape;
  const out = new ImageData(width, height);
  const isUnit = values instanceof Float32Array;
  for (let p = 0; p < width * height; p++) {
    const base = p * channels;
    const r = toByte(values[base] ?? 0, isUnit);
    const g = channels >= 3 ? toByte(values[base + 1] ?? 0, isUnit) : r;
    const b = channels >= 3 ? toByte(values[base + 2] ?? 0, isUnit) : r;
    out.data[p * 4] = r;
    out.data[p * 4 + 1] = g;
    out.data[p * 4 + 2] = b;
    out.data[p * 4 + 3] = 255;
  }
  return out;
}

/** 256 colours of d3's RdBu, reversed so that negative δ is blue and positive δ is red. */
const divergingTable: Uint8ClampedArray = (() => {
  const table = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) {
    const match = /(\d+),\s*(\d+),\s*(\d+)/.exec(interpolateRdBu(1 - i / 255));
    table[i * 3] = Number(match?.[1] ?? 0);
    table[i * 3 + 1] = Number(match?.[2] ?? 0);
    table[i * 3 + 2] = Number(match?.[3] ?? 0);
  }
  return table;
})();

/** The colour of t ∈ [0,1] on the diverging scale, as a CSS colour. */
export function divergingColor(t: number): string {
  const i = Math.max(0, Math.min(255, Math.round(t * 255)));
  return `rgb(${divergingTable[i * 3]}, ${divergingTable[i * 3 + 1]}, ${divergingTable[i * 3 + 2]})`;
}

/** max |δ| over all values (0 for an empty or all-zero perturbation). */
export function maxAbs(values: PixelValues): number {
  let max = 0;
  for (const v of values) max = Math.max(max, Math.abs(v));
  return max;
}

/**
 * A perturbation δ on a diverging colormap symmetric around 0: δ = −scale → blue end, 0 → white,
 * +scale → red end. With 3 channels the per-pixel mean over channels is shown.
 */
export function divergingImageData(
  values: PixelValues,
  shape: ImageShape,
  scale: number,
): ImageData {
  const { height, width, channels } = shape;
  const out = new ImageData(width, height);
  const safeScale = scale > 0 ? scale : 1;
  for (let p = 0; p < width * height; p++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += values[p * channels + c] ?? 0;
    const t = 0.5 + (0.5 * (sum / channels)) / safeScale;
    const i = Math.max(0, Math.min(255, Math.round(t * 255)));
    out.data[p * 4] = divergingTable[i * 3] ?? 0;
    out.data[p * 4 + 1] = divergingTable[i * 3 + 1] ?? 0;
    out.data[p * 4 + 2] = divergingTable[i * 3 + 2] ?? 0;
    out.data[p * 4 + 3] = 255;
  }
  return out;
}
