import { describe, expect, it } from 'vitest';
import { ValidationConfig } from '../../../../src-main/common/training-schemas';
import { splitTrainingData } from '../../../../src-main/engine/training/data-split';
import {
  deriveSeed,
  range,
  seededPermutation,
} from '../../../../src-main/engine/random/seeded-random';

const validation = (size: number) => ValidationConfig.parse({ size });

describe('validation split', () => {
  it('holds out a seeded subset disjoint from the training images', () => {
    const split = splitTrainingData(1000, 7, null, validation(100));
    expect(split.validation.length).toBe(100);
    expect(split.training.length).toBe(900);
    const held = new Set(split.validation);
    expect(held.size).toBe(100);
    expect(split.training.some((i) => held.has(i))).toBe(false);
    expect(new Set([...split.training, ...split.validation]).size).toBe(1000);
    const again = splitTrainingData(1000, 7, null, validation(100));
    expect(Array.from(again.validation)).toEqual(Array.from(split.validation));
    const other = splitTrainingData(1000, 8, null, validation(100));
    expect(Array.from(other.validation)).not.toEqual(Array.from(split.validation));
  });

  it('takes a fraction of the split, and cuts the training images to the limit after it', () => {
    const split = splitTrainingData(1000, 7, 50, validation(0.1));
    expect(split.validation.length).toBe(100);
    expect(split.training.length).toBe(50);
    const held = new Set(split.validation);
    expect(split.training.some((i) => held.has(i))).toBe(false);
  });

  it('without validation trains on the same subset as before validation existed', () => {
    const split = splitTrainingData(300, 4, 64, null);
    const before = seededPermutation(range(300), deriveSeed(4, 'subset')).subarray(0, 64);
    expect(Array.from(split.training)).toEqual(Array.from(before));
    expect(split.validation.length).toBe(0);
  });

  it('refuses sizes that leave nothing to train on, or are not counts or fractions', () => {
    expect(() => splitTrainingData(100, 1, null, validation(100))).toThrow(
      /validation set of 100 images leaves none of the 100 training images/,
    );
    expect(() => ValidationConfig.parse({ size: 2.5 })).toThrow(
      /whole number of images, or a fraction between 0 and 1/,
    );
  });
});
