/** In-painting masks: row-major H·W flags, 1 = the model fills this pixel. */

/** A centred square covering the middle third of each side: the default region to fill. */
export function centreSquareMask(height: number, width: number): (0 | 1)[] {
  const top = Math.floor(height / 3);
  const left = Math.floor(width / 3);
  return Array.from({ length: height * width }, (_, p) => {
    const y = Math.floor(p / width);
    const x = p % width;
    return y >= top && y < height - top && x >= left && x < width - left ? 1 : 0;
  });
}
