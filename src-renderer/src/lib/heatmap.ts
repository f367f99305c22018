/**
 * Saliency heatmaps drawn over the image they explain: a sequential colormap from
 * d3-scale-chromatic (sampled once into a 256-entry table) and a uniform opacity α:
 *   out = (1 − α) · image + α · colormap(map)      per pixel and RGB channel.
 * Maps are [H,W] in [0,1] (the engine normalizes them per image).
 */
import {
  interpolateCividis,
  interpolateInferno,
  interpolateMagma,
  interpolateTurbo,
  interpolateViridis,
} from 'd3-scale-chromatic';
import type { ColormapName } from '@common/display-schemas';
import { imageData, type ImageShape, type PixelValues } from './pixels';

export { colormapNames, type ColormapName } from '@common/display-schemas';

/** The schemes by the names a run's display is saved with (common/display-schemas.ts). */
export const colormaps: Readonly<Record<ColormapName, (t: number) => string>> = {
  inferno: interpolateInferno,
  viridis: interpolateViridis,
  magma: interpolateMagma,
  cividis: interpolateCividis,
  turbo: interpolateTurbo,
};

/** d3 gives "#rrggbb" or "rgb(r, g, b)" depending on the scheme. */
function parseColour(text: string): [number, number, number] {
  if (text.startsWith('#')) {
    const value = Number.parseInt(text.slice(1, 7), 16);
    return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
  }
  const match = /(\d+),\s*(\d+),\s*(\d+)/.exec(text);
  return [Number(match?.[1] ?? 0), Number(match?.[2] ?? 0), Number(match?.[3] ?? 0)];
}

const tables = new Map<ColormapName, Uint8ClampedArray>();

export function colormapTable(name: ColormapName): Uint8ClampedArray {
  let table = tables.get(name);
  if (!table) {
    table = new Uint8ClampedArray(256 * 3);
    for (let i = 0; i < 256; i++) table.set(parseColour(colormaps[name](i / 255)), i * 3);
    tables.set(name, table);
  }
  return table;
}

/** The colour of t ∈ [0,1] on a colormap, as CSS (for the colour bar). */
export function colormapCss(name: ColormapName, t: number): string {
  const table = colormapTable(name);
  const i = Math.max(0, Math.min(255, Math.round(t * 255))) * 3;
  return `rgb(${table[i]}, ${table[i + 1]}, ${table[i + 2]})`;
}

/** The map over the image (or alone, on black, when `base` is null). */
export function heatmapImageData(
  map: PixelValues,
  base: { values: PixelValues; shape: ImageShape } | null,
  shape: ImageShape,
  colormap: ColormapName,
  opacity: number,
): ImageData {
  const { height, width } = shape;
  const out = base ? imageData(base.values, base.shape) : new ImageData(width, height);
  const table = colormapTable(colormap);
  const alpha = Math.max(0, Math.min(1, opacity));
  for (let p = 0; p < width * height; p++) {
    const i = Math.max(0, Math.min(255, Math.round((map[p] ?? 0) * 255))) * 3;
    for (let c = 0; c < 3; c++) {
      const under = base ? (out.data[p * 4 + c] ?? 0) : 0;
      out.data[p * 4 + c] = (1 - alpha) * under + alpha * (table[i + c] ?? 0);
    }
    out.data[p * 4 + 3] = 255;
  }
  return out;
}
