/** Real MNIST digits for tests, from the mnist package (28·28 floats in [0,1] per digit). */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ImageBatch } from '../../../src-main/engine/engine-types';

const load = createRequire(import.meta.url);

export interface Digits {
  images: ImageBatch;
  labels: Int32Array;
}

const cache = new Map<number, number[]>();

function digitData(digit: number): number[] {
  let data = cache.get(digit);
  if (data === undefined) {
    const path = load.resolve(`mnist/src/digits/${digit}.json`);
    data = (JSON.parse(readFileSync(path, 'utf8')) as { data: number[] }).data;
    cache.set(digit, data);
  }
  return data;
}

/** `perClass` digits of each class starting at `offset`, interleaved 0,1,…,9,0,1,… */
export function mnistDigits(perClass: number, offset = 0): Digits {
  const size = 28 * 28;
  const n = perClass * 10;
  const data = new Float32Array(n * size);
  const labels = new Int32Array(n);
  for (let i = 0; i < perClass; i++) {
    for (let digit = 0; digit < 10; digit++) {
      const source = digitData(digit);
      const k = i * 10 + digit;
      const start = (offset + i) * size;
      if (start + size > source.length) throw new Error(`not enough ${digit}s`);
      data.set(source.slice(start, start + size), k * size);
      labels[k] = digit;
    }
  }
  return { images: { shape: [n, 28, 28, 1], data }, labels };
}
