import { describe, expect, it } from 'vitest';
import {
  defaultSyntheticFeaturesOptions,
  featureNorms,
  generateSyntheticFeatures,
  nonRobustFeatureNorms,
  type SyntheticFeaturesDataset,
  type SyntheticFeaturesOptions,
} from '../../../../src-main/engine/data/synthetic-features';
import {
  MAX_PATTERN_CLASSES,
  nonRobustPattern,
} from '../../../../src-main/engine/data/synthetic-features-patterns';
import { SHAPES } from '../../../../src-main/engine/data/synthetic-features-shapes';

const base: SyntheticFeaturesOptions = { ...defaultSyntheticFeaturesOptions, count: 1000, seed: 5 };

/** Four standard errors of a proportion p on n draws. */
function tolerance(p: number, n: number): number {
  return 4 * Math.sqrt((p * (1 - p)) / n);
}

/** Element-wise equality without Vitest's slow deep equality on million-element arrays. */
function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function imageSize(dataset: SyntheticFeaturesDataset): number {
  const [, h, w, c] = dataset.images.shape;
  return h * w * c;
}

/** Image n minus its pattern component δ·s: the flat shape-on-background picture. */
function withoutPattern(dataset: SyntheticFeaturesDataset, n: number): Float64Array {
  const { height, width, channels } = dataset.options;
  const delta = dataset.options.nonRobust.amplitude;
  const pattern = nonRobustPattern(dataset.nonRobustClass[n] ?? 0, height, width);
  const size = imageSize(dataset);
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const pixel = Math.floor(i / channels);
    out[i] = (dataset.images.data[n * size + i] ?? NaN) - delta * (pattern[pixel] ?? 0);
  }
  return out;
}

/**
 * The shape as a 0/1 mask read from the pixels alone: a pixel is "shape" where its colour differs
 * from the top-left corner's (always background) by more than half the contrast in any channel.
 */
function shapeMask(dataset: SyntheticFeaturesDataset, n: number): Float64Array {
  const { height, width, channels } = dataset.options;
  const flat = withoutPattern(dataset, n);
  const threshold = dataset.options.robust.contrast / 2;
  const mask = new Float64Array(height * width);
  for (let p = 0; p < height * width; p++) {
    for (let c = 0; c < channels; c++) {
      if (Math.abs((flat[p * channels + c] ?? 0) - (flat[c] ?? 0)) > threshold) mask[p] = 1;
    }
  }
  return mask;
}

/** The mask moved (by whole pixels) so its centroid sits at the image centre: undoes the jitter. */
function centred(mask: Float64Array, height: number, width: number): Float64Array {
  let total = 0;
  let rowSum = 0;
  let columnSum = 0;
  for (let p = 0; p < mask.length; p++) {
    const m = mask[p] ?? 0;
    total += m;
    rowSum += m * Math.floor(p / width);
    columnSum += m * (p % width);
  }
  const rowShift = Math.round((height - 1) / 2 - rowSum / Math.max(total, 1));
  const columnShift = Math.round((width - 1) / 2 - columnSum / Math.max(total, 1));
  const out = new Float64Array(mask.length);
  for (let p = 0; p < mask.length; p++) {
    const row = Math.floor(p / width) + rowShift;
    const column = (p % width) + columnShift;
    if (row >= 0 && row < height && column >= 0 && column < width)
      out[row * width + column] = mask[p] ?? 0;
  }
  return out;
}

describe('synthetic robust / non-robust features', () => {
  const dataset = generateSyntheticFeatures(base);

  it('makes float32 NHWC images in [0,1] with balanced labels', () => {
    expect(dataset.images.shape).toEqual([1000, 32, 32, 3]);
    expect(dataset.images.data).toBeInstanceOf(Float32Array);
    expect(dataset.images.data.length).toBe(1000 * 32 * 32 * 3);
    let min = Infinity;
    let max = -Infinity;
    const pixels = dataset.images.data;
    for (let i = 0; i < pixels.length; i++) {
      min = Math.min(min, pixels[i] ?? NaN);
      max = Math.max(max, pixels[i] ?? NaN);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThanOrEqual(1);
    const counts = new Array<number>(10).fill(0);
    for (const label of dataset.labels) counts[label] = (counts[label] ?? 0) + 1;
    expect(counts).toEqual(new Array<number>(10).fill(100));
  });

  it('is deterministic in the seed', () => {
    const again = generateSyntheticFeatures(base);
    expect(sameValues(again.images.data, dataset.images.data)).toBe(true);
    expect(sameValues(again.labels, dataset.labels)).toBe(true);
    expect(sameValues(again.robustClass, dataset.robustClass)).toBe(true);
    expect(sameValues(again.nonRobustClass, dataset.nonRobustClass)).toBe(true);
    const other = generateSyntheticFeatures({ ...base, seed: 6 });
    expect(sameValues(other.images.data, dataset.images.data)).toBe(false);
  });

  it('shows each feature agreeing with the label with its own probability p', () => {
    const options = {
      ...base,
      count: 6000,
      height: 8,
      width: 8,
      robust: { ...base.robust, correlation: 0.7 },
      nonRobust: { ...base.nonRobust, correlation: 0.95 },
    };
    const big = generateSyntheticFeatures(options);
    const n = big.labels.length;
    let robustAgree = 0;
    let nonRobustAgree = 0;
    const otherCounts = new Array<number>(10).fill(0);
    for (let i = 0; i < n; i++) {
      const label = big.labels[i] ?? -1;
      if (big.robustClass[i] === label) robustAgree++;
      else {
        const offset = ((big.robustClass[i] ?? 0) - label + 10) % 10;
        otherCounts[offset] = (otherCounts[offset] ?? 0) + 1;
      }
      if (big.nonRobustClass[i] === label) nonRobustAgree++;
    }
    expect(Math.abs(robustAgree / n - 0.7)).toBeLessThan(tolerance(0.7, n));
    expect(Math.abs(nonRobustAgree / n - 0.95)).toBeLessThan(tolerance(0.95, n));
    // A disagreeing feature shows each of the other 9 classes equally often.
    expect(otherCounts[0]).toBe(0);
    const disagree = n - robustAgree;
    for (let offset = 1; offset < 10; offset++) {
      expect(Math.abs((otherCounts[offset] ?? 0) / disagree - 1 / 9)).toBeLessThan(
        tolerance(1 / 9, disagree),
      );
    }
    // p = 1/K: the feature is independent of the label.
    const independent = generateSyntheticFeatures({
      ...options,
      robust: { ...options.robust, correlation: 0.1 },
    });
    let agree = 0;
    for (let i = 0; i < n; i++) if (independent.robustClass[i] === independent.labels[i]) agree++;
    expect(Math.abs(agree / n - 0.1)).toBeLessThan(tolerance(0.1, n));
  });

  it('adds exactly ±δ of the pattern to a flat two-colour picture', () => {
    const { channels } = base;
    for (let n = 0; n < 50; n++) {
      const flat = withoutPattern(dataset, n);
      for (let c = 0; c < channels; c++) {
        const levels = new Set<number>();
        for (let p = c; p < flat.length; p += channels)
          levels.add(Math.round((flat[p] ?? NaN) * 1e5));
        expect(levels.size).toBeLessThanOrEqual(2);
      }
    }
  });

  it('reports the pattern norms: L∞ = δ, L2 = δ√(HWC), as measured on the images', () => {
    const norms = nonRobustFeatureNorms(base);
    const delta = base.nonRobust.amplitude;
    expect(norms.linf).toBe(delta);
    expect(norms.l2).toBeCloseTo(delta * Math.sqrt(32 * 32 * 3), 12);
    // Same seed, pattern of another class on every image: the difference is δ(s − s'), and
    // s − s' ∈ {0, ±2}; for orthogonal patterns exactly half the pixels differ.
    const shifted = generateSyntheticFeatures({
      ...base,
      nonRobust: { ...base.nonRobust, correlation: 0 },
    });
    const size = imageSize(dataset);
    for (let n = 0; n < 20; n++) {
      let squares = 0;
      let largest = 0;
      for (let i = 0; i < size; i++) {
        const gap =
          (dataset.images.data[n * size + i] ?? NaN) - (shifted.images.data[n * size + i] ?? NaN);
        squares += gap * gap;
        largest = Math.max(largest, Math.abs(gap));
      }
      expect(shifted.robustClass[n]).toBe(dataset.robustClass[n]);
      expect(largest).toBeCloseTo(2 * norms.linf, 6);
      expect(Math.sqrt(squares)).toBeCloseTo(Math.SQRT2 * norms.l2, 5);
    }
  });

  it('uses orthogonal ±1 high-frequency patterns, one per class', () => {
    const patterns = Array.from({ length: MAX_PATTERN_CLASSES }, (_, k) =>
      nonRobustPattern(k, 32, 32),
    );
    for (let a = 0; a < patterns.length; a++) {
      const pa = patterns[a] ?? new Int8Array();
      expect(pa.every((v) => v === 1 || v === -1)).toBe(true);
      for (let b = a + 1; b < patterns.length; b++) {
        const pb = patterns[b] ?? new Int8Array();
        let product = 0;
        for (let i = 0; i < pa.length; i++) product += (pa[i] ?? 0) * (pb[i] ?? 0);
        expect(product).toBe(0);
      }
      // No constant (lowest-frequency) component.
      expect(pa.reduce((s, v) => s + v, 0)).toBe(0);
    }
    expect(() => nonRobustPattern(10, 8, 8)).toThrow(/class must be 0..9, got 10/);
  });

  it('reports shape norms that match the pixels', () => {
    const norms = featureNorms(dataset);
    const step = base.robust.contrast * (1 - 2 * base.nonRobust.amplitude);
    expect(norms.robust.linf).toBeCloseTo(step, 12);
    expect(norms.robust.l2Min).toBeLessThanOrEqual(norms.robust.l2Mean);
    expect(norms.robust.l2Mean).toBeLessThanOrEqual(norms.robust.l2Max);
    // The shape component is many times the pattern's norm.
    expect(norms.robust.l2Min).toBeGreaterThan(8 * norms.nonRobust.l2);
    for (let n = 0; n < 20; n++) {
      const flat = withoutPattern(dataset, n);
      let squares = 0;
      for (let i = 0; i < flat.length; i++) {
        const channel = i % base.channels;
        squares += ((flat[i] ?? NaN) - (flat[channel] ?? NaN)) ** 2;
      }
      expect(Math.sqrt(squares)).toBeCloseTo(
        step * Math.sqrt(base.channels * (dataset.shapeArea[n] ?? 0)),
        3,
      );
    }
  });

  it('the shape alone is learnable: nearest class mean on the centred shape mask', () => {
    const options = {
      ...base,
      count: 1500,
      robust: { ...base.robust, correlation: 1 },
      nonRobust: { ...base.nonRobust, correlation: 0.1 },
    };
    const train = generateSyntheticFeatures(options);
    const test = generateSyntheticFeatures({ ...options, count: 500, seed: 99 });
    const pixels = 32 * 32;
    const means = Array.from({ length: 10 }, () => new Float64Array(pixels));
    const counts = new Array<number>(10).fill(0);
    for (let n = 0; n < train.labels.length; n++) {
      const label = train.labels[n] ?? 0;
      const mask = centred(shapeMask(train, n), 32, 32);
      const mean = means[label] ?? new Float64Array();
      for (let p = 0; p < pixels; p++) mean[p] = (mean[p] ?? 0) + (mask[p] ?? 0);
      counts[label] = (counts[label] ?? 0) + 1;
    }
    means.forEach((mean, k) => mean.forEach((v, p) => (mean[p] = v / (counts[k] ?? 1))));
    let correct = 0;
    for (let n = 0; n < test.labels.length; n++) {
      const mask = centred(shapeMask(test, n), 32, 32);
      let best = -1;
      let bestDistance = Infinity;
      means.forEach((mean, k) => {
        let distance = 0;
        for (let p = 0; p < pixels; p++) distance += ((mask[p] ?? 0) - (mean[p] ?? 0)) ** 2;
        if (distance < bestDistance) {
          bestDistance = distance;
          best = k;
        }
      });
      if (best === test.labels[n]) correct++;
    }
    // Chance is 10%.
    expect(correct / test.labels.length).toBeGreaterThan(0.8);
  });

  it('the faint pattern alone carries the label: a matched filter reads it', () => {
    // Shapes independent of the label; pattern always agrees. Score each class by ⟨x, s_k⟩.
    const options = {
      ...base,
      count: 500,
      robust: { ...base.robust, correlation: 0.1 },
      nonRobust: { ...base.nonRobust, correlation: 1 },
    };
    const data = generateSyntheticFeatures(options);
    const patterns = Array.from({ length: 10 }, (_, k) => nonRobustPattern(k, 32, 32));
    const size = imageSize(data);
    let correct = 0;
    for (let n = 0; n < data.labels.length; n++) {
      let best = -1;
      let bestScore = -Infinity;
      patterns.forEach((pattern, k) => {
        let score = 0;
        for (let i = 0; i < size; i++)
          score += (data.images.data[n * size + i] ?? 0) * (pattern[Math.floor(i / 3)] ?? 0);
        if (score > bestScore) {
          bestScore = score;
          best = k;
        }
      });
      if (best === data.labels[n]) correct++;
    }
    expect(correct / data.labels.length).toBeGreaterThan(0.9);
  });

  it('changing one feature’s correlation keeps the labels, the other feature and the shapes', () => {
    const other = generateSyntheticFeatures({
      ...base,
      nonRobust: { ...base.nonRobust, correlation: 0.1 },
    });
    expect(sameValues(other.labels, dataset.labels)).toBe(true);
    expect(sameValues(other.robustClass, dataset.robustClass)).toBe(true);
    expect(sameValues(other.shapeArea, dataset.shapeArea)).toBe(true);
    expect(sameValues(other.nonRobustClass, dataset.nonRobustClass)).toBe(false);
  });

  it('supports grey images, other sizes and every shape', () => {
    const grey = generateSyntheticFeatures({
      ...base,
      count: 40,
      height: 12,
      width: 20,
      channels: 1,
    });
    expect(grey.images.shape).toEqual([40, 12, 20, 1]);
    expect(SHAPES.length).toBeGreaterThanOrEqual(10);
    for (let n = 0; n < 40; n++) expect(grey.shapeArea[n]).toBeGreaterThan(0);
  });

  it('refuses bad options with clear messages', () => {
    expect(() => generateSyntheticFeatures({ ...base, numClasses: 11 })).toThrow(
      /class count must be a whole number in 2..10, got 11/,
    );
    expect(() => generateSyntheticFeatures({ ...base, count: 0 })).toThrow(
      /image count must be a whole number/,
    );
    expect(() => generateSyntheticFeatures({ ...base, height: 4 })).toThrow(
      /image height must be a whole number in 8..256, got 4/,
    );
    expect(() => generateSyntheticFeatures({ ...base, channels: 2 as 1 })).toThrow(
      /channels must be 1 or 3, got 2/,
    );
    expect(() =>
      generateSyntheticFeatures({ ...base, robust: { correlation: 1.5, contrast: 0.5 } }),
    ).toThrow(/robust feature correlation must lie in \[0, 1\], got 1.5/);
    expect(() =>
      generateSyntheticFeatures({ ...base, robust: { correlation: 1, contrast: 0 } }),
    ).toThrow(/contrast must lie in \(0, 1\]/);
    expect(() =>
      generateSyntheticFeatures({ ...base, nonRobust: { correlation: 1, amplitude: 0.3 } }),
    ).toThrow(/amplitude must lie in \[0, 0.25\], got 0.3/);
  });
});
