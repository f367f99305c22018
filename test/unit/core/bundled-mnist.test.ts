import { describe, expect, it } from 'vitest';
import { bundledMnistSplitSeed, loadBundledMnist } from '../../../src-main/core/bundled-mnist';

describe('bundled MNIST', () => {
  const dataset = loadBundledMnist();

  it('holds the 10,000 real digits as 28×28 bytes with labels 0–9', () => {
    expect(dataset.labels.length).toBe(10_000);
    expect(dataset.pixels.length).toBe(10_000 * 784);
    expect(dataset.pixels).toBeInstanceOf(Uint8Array);
    const perClass = new Array<number>(10).fill(0);
    dataset.labels.forEach((label) => (perClass[label] = (perClass[label] ?? 0) + 1));
    // Every class is present with roughly a tenth of the digits.
    for (const count of perClass) expect(count).toBeGreaterThan(800);
    // Real digits: mostly background, with bright strokes.
    const first = dataset.pixels.subarray(0, 784);
    expect(Math.max(...first)).toBeGreaterThan(200);
    expect(first.filter((v) => v === 0).length).toBeGreaterThan(400);
  });

  it('splits 8,000 / 2,000 deterministically and records how', () => {
    const again = loadBundledMnist();
    expect(Array.from(again.splits)).toEqual(Array.from(dataset.splits));
    expect(dataset.splits.filter((s) => s === 0).length).toBe(8000);
    expect(dataset.splits.filter((s) => s === 1).length).toBe(2000);
    expect(dataset.split).toMatchObject({ seed: bundledMnistSplitSeed, train: 8000, test: 2000 });
    expect(Array.from(dataset.labels)).toEqual(Array.from(again.labels));
  });

  it('mixes the classes, so any range of indices holds several digits', () => {
    const firstTwenty = new Set(dataset.labels.subarray(0, 20));
    expect(firstTwenty.size).toBeGreaterThanOrEqual(6);
    const firstTest = new Set(dataset.labels.subarray(8000, 8020));
    expect(firstTest.size).toBeGreaterThanOrEqual(6);
  });
});
