/**
 * The ROBUST feature of the synthetic dataset: one large flat shape per class.
 *
 * Each shape is a membership test in shape coordinates (u, v) = ((x − cx)/r, (y − cy)/r), where
 * (cx, cy) is the shape's centre and r its radius in pixels, x to the right and y downwards.
 * Every shape lies inside the square |u| ≤ 1, |v| ≤ 1, so a shape whose centre is at least r + 1
 * pixels from every border never touches the image border (the corners stay background).
 * Areas are kept within a factor of ~2 of each other (disc π, square 2.9, ring 2.2, …) so no
 * class is told apart by its pixel count alone.
 */

export type ShapeTest = (u: number, v: number) => boolean;

export interface ShapeDefinition {
  name: string;
  inside: ShapeTest;
}

/** Band index of t ∈ [−1, 1] split into 3 equal bands; bands 0 and 2 are the bars. */
function inOuterBand(t: number): boolean {
  const band = Math.floor(((t + 1) * 3) / 2);
  return band === 0 || band === 2;
}

export const SHAPES: readonly ShapeDefinition[] = [
  { name: 'disc', inside: (u, v) => u * u + v * v <= 1 },
  { name: 'square', inside: (u, v) => Math.abs(u) <= 0.85 && Math.abs(v) <= 0.85 },
  {
    // Apex at the top (v = −1), base at v = 0.8, half-width 0.55·(v + 1).
    name: 'triangle',
    inside: (u, v) => v >= -1 && v <= 0.8 && Math.abs(u) <= 0.55 * (v + 1),
  },
  {
    name: 'plus',
    inside: (u, v) =>
      (Math.abs(u) <= 0.3 && Math.abs(v) <= 1) || (Math.abs(v) <= 0.3 && Math.abs(u) <= 1),
  },
  {
    name: 'ring',
    inside: (u, v) => {
      const radiusSquared = u * u + v * v;
      return radiusSquared <= 1 && radiusSquared >= 0.55 * 0.55;
    },
  },
  {
    name: 'horizontal bars',
    inside: (u, v) => Math.abs(u) <= 1 && Math.abs(v) <= 1 && inOuterBand(v),
  },
  {
    name: 'vertical bars',
    inside: (u, v) => Math.abs(u) <= 1 && Math.abs(v) <= 1 && inOuterBand(u),
  },
  { name: 'diamond', inside: (u, v) => Math.abs(u) + Math.abs(v) <= 1 },
  {
    // Two diagonal strokes of half-width 0.4/√2 ≈ 0.28, clipped to the unit square.
    name: 'cross',
    inside: (u, v) =>
      Math.abs(u) <= 1 && Math.abs(v) <= 1 && (Math.abs(u - v) <= 0.4 || Math.abs(u + v) <= 0.4),
  },
  {
    name: 'frame',
    inside: (u, v) => {
      const extent = Math.max(Math.abs(u), Math.abs(v));
      return extent <= 0.95 && extent >= 0.55;
    },
  },
];
