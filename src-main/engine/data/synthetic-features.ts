/**
 * A synthetic "robust vs non-robust features" image set (after Ilyas et al. 2019): each image
 * carries its class twice, independently —
 *   ROBUST feature:     a large flat shape (disc, square, triangle, …; synthetic-features-shapes)
 *                       in random colours, position and size; its pixel norm is large
 *                       (L2 ≈ contrast·√(C·area), several units at 32×32×3).
 *   NON-ROBUST feature: a faint high-frequency ±δ Walsh pattern (synthetic-features-patterns);
 *                       L∞ = δ, L2 = δ·√(H·W·C) (0.87 at the default δ = 4/255 on 32×32×3).
 * Each feature has its own label correlation p: with probability p it shows the image's label,
 * otherwise a uniformly random OTHER class. p = 1/K makes a feature independent of the label
 * (uniform over all K classes); p = 1 makes it perfectly predictive.
 *
 * Image composition, per pixel (row, col) and channel c, with base colour b ∈ [0,1] (the shape's
 * or the background's colour there) and pattern sign s = ±1 of the non-robust class:
 *   x = δ + (1 − 2δ)·b + δ·s   ∈ [0, 1]
 * The base image is squeezed into [δ, 1 − δ] so adding the pattern never clips: the pattern
 * component of every image is exactly δ·s, whatever the colours.
 *
 * Pixels are float32 in [0,1] and must stay so: quantizing to uint8 (steps of 1/255) would round
 * away or distort a pattern of a few /255 (δ off the 1/255 grid, or ≤ 1/255, is simply lost),
 * i.e. silently damage or delete the non-robust feature.
 *
 * Determinism: separate seeded streams (deriveSeed(seed, 'labels' | 'robust-class' |
 * 'non-robust-class' | 'appearance')) draw the labels, each feature's class, and the shape
 * geometry/colours, a fixed number of draws per image. So with the same seed, changing one
 * feature's correlation changes only which class that feature shows on some images; the labels,
 * the other feature and every image's appearance stay the same.
 */
import type { ImageBatch } from '../engine-types';
import {
  deriveSeed,
  mulberry32,
  range,
  seededPermutation,
  type RandomSource,
} from '../random/seeded-random';
import { MAX_PATTERN_CLASSES, nonRobustPattern } from './synthetic-features-patterns';
import { SHAPES } from './synthetic-features-shapes';

export interface SyntheticFeaturesOptions {
  /** Number of images. */
  count: number;
  /** Classes K, 2..10 (one shape and one pattern per class). */
  numClasses: number;
  /** Image height in pixels, 8..256. */
  height: number;
  /** Image width in pixels, 8..256. */
  width: number;
  /** 1 (grey) or 3 (colour). */
  channels: 1 | 3;
  /** Seed of every random choice; same options ⇒ bit-identical dataset. */
  seed: number;
  robust: {
    /** P(shape class = label), in [0,1]; 1/K = uncorrelated. */
    correlation: number;
    /** |shape colour − background colour| in every channel, in (0,1], before the (1−2δ) squeeze. */
    contrast: number;
  };
  nonRobust: {
    /** P(pattern class = label), in [0,1]; 1/K = uncorrelated. */
    correlation: number;
    /** δ: the pattern adds ±δ to every pixel value; in [0, 0.25]. */
    amplitude: number;
  };
}

/**
 * Defaults: 32×32×3, 10 classes, the shape 85% predictive and the faint pattern 100% predictive.
 * δ = 4/255: L∞ 0.016, L2 0.87. An L∞ adversary at the usual ε = 8/255 can swap one class's
 * pattern for any other's (that needs 2δ per pixel), so an L∞-robust model cannot use it, while
 * it is invisible to people. Smaller δ hides it better but was not learned in short runs here:
 * small-cnn, Adam 2·10⁻³, pattern-only data (shape independent of the label), 32×32×3, 10 classes:
 * δ = 4/255 reached 78% test accuracy after 6 epochs of 4,000 images; δ = 2/255 stayed at chance
 * after 5 epochs of 12,000 (the model memorized shapes instead). L2 threat models need ε ≳ 0.9
 * to erase this pattern and ≳ 1.23 to swap it (δ·√(2·H·W·C) for orthogonal patterns).
 */
export const defaultSyntheticFeaturesOptions: SyntheticFeaturesOptions = {
  count: 12_000,
  numClasses: 10,
  height: 32,
  width: 32,
  channels: 3,
  seed: 0,
  robust: { correlation: 0.85, contrast: 0.5 },
  nonRobust: { correlation: 1, amplitude: 4 / 255 },
};

export interface SyntheticFeaturesDataset {
  options: SyntheticFeaturesOptions;
  /** [N, H, W, C] float32 in [0,1]. */
  images: ImageBatch & { data: Float32Array };
  /** Class of each image, 0..K−1 (balanced: counts differ by at most 1). */
  labels: Int32Array;
  /** Class the shape shows (index into SHAPES), per image. */
  robustClass: Int32Array;
  /** Class the faint pattern shows, per image. */
  nonRobustClass: Int32Array;
  /** Pixels covered by the shape, per image (for the robust feature's norm). */
  shapeArea: Int32Array;
}

export interface FeatureNorms {
  /** The pattern component δ·s: the same for every image. */
  nonRobust: { linf: number; l2: number };
  /**
   * The shape component (image minus the same image with the shape painted as background):
   * every shape pixel differs by contrast·(1−2δ) in each channel, so
   * L∞ = contrast·(1−2δ), L2 = contrast·(1−2δ)·√(C·area). Summarized over the images.
   */
  robust: { linf: number; l2Mean: number; l2Min: number; l2Max: number };
}

function checkProbability(value: number, what: string): void {
  if (!(value >= 0 && value <= 1)) throw new Error(`${what} must lie in [0, 1], got ${value}`);
}

function checkWhole(value: number, low: number, high: number, what: string): void {
  if (!Number.isInteger(value) || value < low || value > high) {
    throw new Error(`${what} must be a whole number in ${low}..${high}, got ${value}`);
  }
}

export function validateSyntheticFeaturesOptions(options: SyntheticFeaturesOptions): void {
  checkWhole(options.count, 1, 1_000_000, 'image count');
  checkWhole(options.numClasses, 2, Math.min(MAX_PATTERN_CLASSES, SHAPES.length), 'class count');
  checkWhole(options.height, 8, 256, 'image height');
  checkWhole(options.width, 8, 256, 'image width');
  if (options.channels !== 1 && options.channels !== 3) {
    throw new Error(`image channels must be 1 or 3, got ${String(options.channels)}`);
  }
  if (!Number.isFinite(options.seed))
    throw new Error(`seed must be a finite number, got ${options.seed}`);
  checkProbability(options.robust.correlation, 'robust feature correlation');
  checkProbability(options.nonRobust.correlation, 'non-robust feature correlation');
  const { contrast } = options.robust;
  if (!(contrast > 0 && contrast <= 1)) {
    throw new Error(`robust feature contrast must lie in (0, 1], got ${contrast}`);
  }
  const { amplitude } = options.nonRobust;
  if (!(amplitude >= 0 && amplitude <= 0.25)) {
    throw new Error(`non-robust feature amplitude must lie in [0, 0.25], got ${amplitude}`);
  }
}

/**
 * Balanced labels: 0,1,…,K−1,0,1,… shuffled, so every class has ⌊N/K⌋ or ⌈N/K⌉ images.
 */
function balancedLabels(count: number, numClasses: number, seed: number): Int32Array {
  const order = seededPermutation(range(count), seed);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) labels[order[i] ?? 0] = i % numClasses;
  return labels;
}

/**
 * The class a feature shows: the label with probability p, else uniform over the K−1 others.
 * Always two draws, so the stream stays aligned across images whatever p is.
 */
function featureClass(
  label: number,
  numClasses: number,
  correlation: number,
  random: RandomSource,
): number {
  const agree = random() < correlation;
  const other = Math.floor(random() * (numClasses - 1));
  if (agree) return label;
  return other >= label ? other + 1 : other;
}

interface Appearance {
  centreX: number;
  centreY: number;
  radius: number;
  background: Float64Array;
  foreground: Float64Array;
}

/**
 * Shape geometry and colours (always 4 + 2·C draws). Radius r = side·U[0.26, 0.34]; the centre
 * is jittered by up to 12% of the side and kept ≥ r + 1 from every border. Colours: per channel,
 * a random sign picks whether the shape is lighter or darker than the background, and the pair is
 * placed uniformly where both fit in [0,1]: |foreground − background| = contrast exactly.
 */
function drawAppearance(options: SyntheticFeaturesOptions, random: RandomSource): Appearance {
  const { height, width, channels } = options;
  const side = Math.min(height, width);
  const radius = side * (0.26 + 0.08 * random());
  const jitter = 0.12 * side;
  const place = (extent: number): number => {
    const centre = extent / 2 + (2 * random() - 1) * jitter;
    return Math.min(extent - radius - 1, Math.max(radius + 1, centre));
  };
  const centreX = place(width);
  const centreY = place(height);
  const contrast = options.robust.contrast;
  const background = new Float64Array(channels);
  const foreground = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    const lighter = random() < 0.5;
    const low = random() * (1 - contrast);
    background[c] = lighter ? low : low + contrast;
    foreground[c] = lighter ? low + contrast : low;
  }
  return { centreX, centreY, radius, background, foreground };
}

export function generateSyntheticFeatures(
  options: SyntheticFeaturesOptions,
): SyntheticFeaturesDataset {
  validateSyntheticFeaturesOptions(options);
  const { count, numClasses, height, width, channels, seed } = options;
  const delta = options.nonRobust.amplitude;
  const squeeze = 1 - 2 * delta;
  const patterns = Array.from({ length: numClasses }, (_, k) => nonRobustPattern(k, height, width));
  const labels = balancedLabels(count, numClasses, deriveSeed(seed, 'labels'));
  const robustRandom = mulberry32(deriveSeed(seed, 'robust-class'));
  const nonRobustRandom = mulberry32(deriveSeed(seed, 'non-robust-class'));
  const appearanceRandom = mulberry32(deriveSeed(seed, 'appearance'));

  const imageSize = height * width * channels;
  const data = new Float32Array(count * imageSize);
  const robustClass = new Int32Array(count);
  const nonRobustClass = new Int32Array(count);
  const shapeArea = new Int32Array(count);
  // Squeezed colours, reused per image: δ + (1−2δ)·b.
  const backgroundLevel = new Float64Array(channels);
  const foregroundLevel = new Float64Array(channels);

  for (let n = 0; n < count; n++) {
    const label = labels[n] ?? 0;
    const shapeClass = featureClass(label, numClasses, options.robust.correlation, robustRandom);
    const patternClass = featureClass(
      label,
      numClasses,
      options.nonRobust.correlation,
      nonRobustRandom,
    );
    robustClass[n] = shapeClass;
    nonRobustClass[n] = patternClass;
    const look = drawAppearance(options, appearanceRandom);
    for (let c = 0; c < channels; c++) {
      backgroundLevel[c] = delta + squeeze * (look.background[c] ?? 0);
      foregroundLevel[c] = delta + squeeze * (look.foreground[c] ?? 0);
    }
    const inside = SHAPES[shapeClass]?.inside;
    const pattern = patterns[patternClass];
    if (inside === undefined || pattern === undefined) throw new Error(`no class ${shapeClass}`);
    const inverseRadius = 1 / look.radius;
    let area = 0;
    let offset = n * imageSize;
    for (let row = 0; row < height; row++) {
      const v = (row + 0.5 - look.centreY) * inverseRadius;
      for (let col = 0; col < width; col++) {
        const u = (col + 0.5 - look.centreX) * inverseRadius;
        const isShape = inside(u, v);
        if (isShape) area++;
        const levels = isShape ? foregroundLevel : backgroundLevel;
        const faint = delta * (pattern[row * width + col] ?? 0);
        for (let c = 0; c < channels; c++) {
          // In [0,1] by construction; the clamp only absorbs floating-point rounding.
          data[offset++] = Math.min(1, Math.max(0, (levels[c] ?? 0) + faint));
        }
      }
    }
    shapeArea[n] = area;
  }
  return {
    options,
    images: { shape: [count, height, width, channels], data },
    labels,
    robustClass,
    nonRobustClass,
    shapeArea,
  };
}

/** The non-robust pattern's norms; the same for every image of these options. */
export function nonRobustFeatureNorms(
  options: Pick<SyntheticFeaturesOptions, 'height' | 'width' | 'channels' | 'nonRobust'>,
): FeatureNorms['nonRobust'] {
  const delta = options.nonRobust.amplitude;
  return { linf: delta, l2: delta * Math.sqrt(options.height * options.width * options.channels) };
}

/** Norms of both features of a generated dataset (see FeatureNorms). */
export function featureNorms(dataset: SyntheticFeaturesDataset): FeatureNorms {
  const { options } = dataset;
  const step = options.robust.contrast * (1 - 2 * options.nonRobust.amplitude);
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const area of dataset.shapeArea) {
    const l2 = step * Math.sqrt(options.channels * area);
    sum += l2;
    min = Math.min(min, l2);
    max = Math.max(max, l2);
  }
  return {
    nonRobust: nonRobustFeatureNorms(options),
    robust: { linf: step, l2Mean: sum / dataset.shapeArea.length, l2Min: min, l2Max: max },
  };
}
