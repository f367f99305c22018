import { describe, expect, it } from 'vitest';
import {
  augmentationDraws,
  augmentationEnabled,
  cropAndFlip,
  CROP_PADDING,
} from '../../../../src-main/engine/training/augmentation';

/** A 1×3×4×2 image whose channel 0 is 10·y + x and channel 1 is −(10·y + x). */
function ramp(): Float32Array {
  const out = new Float32Array(3 * 4 * 2);
  for (let y = 0; y < 3; y++) {
    for (let x = 0; x < 4; x++) {
      out[(y * 4 + x) * 2] = 10 * y + x;
      out[(y * 4 + x) * 2 + 1] = -(10 * y + x);
    }
  }
  return out;
}

/** Channel 0 as rows. */
function rows(pixels: Float32Array): number[][] {
  return [0, 1, 2].map((y) => [0, 1, 2, 3].map((x) => pixels[(y * 4 + x) * 2] ?? NaN));
}

describe('augmentation', () => {
  it('flips horizontally', () => {
    const out = cropAndFlip(ramp(), [1, 3, 4, 2], [{ dy: 0, dx: 0, flip: true }]);
    expect(rows(out)).toEqual([
      [3, 2, 1, 0],
      [13, 12, 11, 10],
      [23, 22, 21, 20],
    ]);
    expect(out[1]).toBe(-3); // channels move together
  });

  it('crops a zero-padded image: a shift with zeros shifted in', () => {
    // dy = 1, dx = −2: out[y][x] = in[y + 1][x − 2].
    expect(rows(cropAndFlip(ramp(), [1, 3, 4, 2], [{ dy: 1, dx: -2, flip: false }]))).toEqual([
      [0, 0, 10, 11],
      [0, 0, 20, 21],
      [0, 0, 0, 0],
    ]);
    // Crop then flip: out[y][x] = in[y][(W − 1 − x) + 1].
    expect(rows(cropAndFlip(ramp(), [1, 3, 4, 2], [{ dy: 0, dx: 1, flip: true }]))).toEqual([
      [0, 3, 2, 1],
      [0, 13, 12, 11],
      [0, 23, 22, 21],
    ]);
    expect(rows(cropAndFlip(ramp(), [1, 3, 4, 2], [{ dy: 0, dx: 0, flip: false }]))).toEqual(
      rows(ramp()),
    );
  });

  it('is deterministic per (seed, epoch, batch), shape-preserving, and varies across them', () => {
    const shape: [number, number, number, number] = [8, 32, 32, 3];
    const pixels = Float32Array.from({ length: 8 * 32 * 32 * 3 }, (_, i) => (i % 97) / 97);
    const a = cropAndFlip(pixels, shape, augmentationDraws(8, 5, 2, 3));
    const b = cropAndFlip(pixels, shape, augmentationDraws(8, 5, 2, 3));
    expect(a.length).toBe(pixels.length);
    expect(Array.from(a)).toEqual(Array.from(b));
    const otherEpoch = cropAndFlip(pixels, shape, augmentationDraws(8, 5, 3, 3));
    const otherBatch = cropAndFlip(pixels, shape, augmentationDraws(8, 5, 2, 4));
    expect(Array.from(otherEpoch)).not.toEqual(Array.from(a));
    expect(Array.from(otherBatch)).not.toEqual(Array.from(a));
  });

  it('draws shifts in [−4, 4] and flips about half the time', () => {
    const draws = augmentationDraws(4000, 1, 0, 0);
    const shifts = new Set(draws.flatMap((d) => [d.dy, d.dx]));
    expect([...shifts].sort((p, q) => p - q)).toEqual(
      Array.from({ length: 2 * CROP_PADDING + 1 }, (_, i) => i - CROP_PADDING),
    );
    const flips = draws.filter((d) => d.flip).length / draws.length;
    expect(flips).toBeGreaterThan(0.45);
    expect(flips).toBeLessThan(0.55);
  });

  it("'auto' is on for 32×32×3 images only", () => {
    expect(augmentationEnabled('auto', [32, 32, 3])).toBe(true);
    expect(augmentationEnabled('auto', [28, 28, 1])).toBe(false);
    expect(augmentationEnabled('auto', [32, 32, 1])).toBe(false);
    expect(augmentationEnabled('on', [28, 28, 1])).toBe(true);
    expect(augmentationEnabled('off', [32, 32, 3])).toBe(false);
  });

  it('refuses mismatched input', () => {
    expect(() => cropAndFlip(new Float32Array(5), [1, 3, 4, 2], [])).toThrow(/needs 24 values/);
    expect(() => cropAndFlip(ramp(), [1, 3, 4, 2], [])).toThrow(/1 images but 0 draws/);
  });
});
