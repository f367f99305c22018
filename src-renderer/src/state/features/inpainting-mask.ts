/** Painting an in-painting mask (row-major H·W flags, 1 = the model fills this pixel). */
export { centreSquareMask } from '@common/inpainting-mask';

/** The mask with a round brush of `radius` pixels painted (value 1) or erased (0) at (x, y). */
export function paintMask(
  mask: readonly (0 | 1)[],
  width: number,
  x: number,
  y: number,
  radius: number,
  value: 0 | 1,
): (0 | 1)[] {
  const height = mask.length / width;
  const out = [...mask];
  for (let dy = -radius; dy <= radius; dy++) {
    for (let dx = -radius; dx <= radius; dx++) {
      const px = Math.round(x) + dx;
      const py = Math.round(y) + dy;
      if (dx * dx + dy * dy > radius * radius) continue;
      if (px < 0 || py < 0 || px >= width || py >= height) continue;
      out[py * width + px] = value;
    }
  }
  return out;
}
