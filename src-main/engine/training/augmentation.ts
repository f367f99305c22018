/**
 * Standard CIFAR augmentation, on the CPU side before a batch becomes a tensor: a random crop of
 * the image zero-padded by 4 on each side (equivalently a shift by (dy, dx) ∈ [−4, 4]², pixels
 * shifted in from outside are 0) and a horizontal flip with probability ½.
 *   out[y][x] = in[y + dy][x' + dx], x' = (flip ? W − 1 − x : x), 0 where outside the image
 * The choices of batch b of epoch e come from a generator seeded by (seed, e, b) alone, never from
 * a running generator, so a resumed run augments exactly as an uninterrupted one.
 */
import type { AugmentationChoice } from '../../common/training-schemas';
import { deriveSeed, mulberry32 } from '../random/seeded-random';

export const CROP_PADDING = 4;

export interface AugmentationDraw {
  dy: number;
  dx: number;
  flip: boolean;
}

/** Resolves 'auto': on for 32×32×3 images (CIFAR-like), off for anything else. */
export function augmentationEnabled(
  choice: AugmentationChoice,
  imageShape: readonly [number, number, number],
): boolean {
  if (choice === 'on') return true;
  if (choice === 'off') return false;
  const [h, w, c] = imageShape;
  return h === 32 && w === 32 && c === 3;
}

/** One draw per image of batch `batch` of epoch `epoch`. */
export function augmentationDraws(
  count: number,
  seed: number,
  epoch: number,
  batch: number,
): AugmentationDraw[] {
  const random = mulberry32(deriveSeed(seed, 'augment', epoch, batch));
  const span = 2 * CROP_PADDING + 1;
  return Array.from({ length: count }, () => ({
    dy: Math.floor(random() * span) - CROP_PADDING,
    dx: Math.floor(random() * span) - CROP_PADDING,
    flip: random() < 0.5,
  }));
}

/** Applies one draw per image to N·H·W·C pixels; returns new pixels of the same shape. */
export function cropAndFlip(
  pixels: Float32Array,
  shape: readonly [number, number, number, number],
  draws: readonly AugmentationDraw[],
): Float32Array {
  const [n, h, w, c] = shape;
  if (pixels.length !== n * h * w * c) {
    throw new Error(
      `augmentation: shape [${shape.join(', ')}] needs ${n * h * w * c} values, got ${pixels.length}`,
    );
  }
  if (draws.length !== n) throw new Error(`augmentation: ${n} images but ${draws.length} draws`);
  const out = new Float32Array(pixels.length);
  const size = h * w * c;
  draws.forEach(({ dy, dx, flip }, image) => {
    const base = image * size;
    for (let y = 0; y < h; y++) {
      const sourceY = y + dy;
      if (sourceY < 0 || sourceY >= h) continue;
      for (let x = 0; x < w; x++) {
        const sourceX = (flip ? w - 1 - x : x) + dx;
        if (sourceX < 0 || sourceX >= w) continue;
        const to = base + (y * w + x) * c;
        const from = base + (sourceY * w + sourceX) * c;
        for (let k = 0; k < c; k++) out[to + k] = pixels[from + k] ?? 0;
      }
    }
  });
  return out;
}
