/**
 * Cell colours of a [0, 1] heatmap: d3's sequential Blues, and whichever text colour (near-black
 * or white) has the higher WCAG contrast ratio against the cell, so every printed value reads.
 */
import { interpolateBlues } from 'd3-scale-chromatic';

/** The page's text colour (--text) and white, with their relative luminances. */
const darkText = '#1f2933';
const lightText = '#ffffff';

/** WCAG relative luminance of an sRGB colour given as 0–255 channels. */
function luminance(red: number, green: number, blue: number): number {
  const linear = (channel: number) => {
    const c = channel / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue);
}

/** (L_lighter + 0.05) / (L_darker + 0.05). */
function contrast(a: number, b: number): number {
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

/** d3 interpolators return "rgb(r, g, b)". */
function channels(color: string): [number, number, number] {
  const match = /rgb\((\d+), (\d+), (\d+)\)/.exec(color);
  if (!match) throw new Error(`not an rgb() colour: ${color}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

const darkLuminance = luminance(0x1f, 0x29, 0x33);
const lightLuminance = 1;

export interface CellColors {
  background: string;
  text: string;
}

/** A value outside [0, 1] is clamped; a missing one (NaN) gets a neutral cell. */
export function heatmapColors(value: number): CellColors {
  if (!Number.isFinite(value)) return { background: '#f3f4f6', text: '#5f6b7a' };
  const background = interpolateBlues(Math.min(1, Math.max(0, value)));
  const cell = luminance(...channels(background));
  const text =
    contrast(cell, lightLuminance) > contrast(cell, darkLuminance) ? lightText : darkText;
  return { background, text };
}

/** The scale as a CSS gradient, for a legend. */
export function heatmapGradient(): string {
  const stops = Array.from({ length: 11 }, (_, i) => interpolateBlues(i / 10));
  return `linear-gradient(to right, ${stops.join(', ')})`;
}
