/**
 * Deterministic randomness for everything a result depends on (shuffles, initial weights,
 * attack starts). mulberry32: a 32-bit state PRNG, fast and good enough for shuffling; not
 * cryptographic. deriveSeed gives independent-looking sub-seeds (per epoch, per batch, per
 * variable) from one user seed, so changing one part never shifts the streams of the others.
 */

export type RandomSource = () => number;

/** Uniform floats in [0, 1) from a 32-bit seed. */
export function mulberry32(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes a seed with labels (numbers or strings) into a new non-negative 31-bit seed. */
export function deriveSeed(seed: number, ...parts: (number | string)[]): number {
  let h = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  const mix = (value: number): void => {
    h = Math.imul(h ^ (value >>> 0), 0x85ebca6b) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  };
  mix(Math.floor(seed / 4294967296));
  for (const part of parts) {
    if (typeof part === 'number') {
      mix(part);
    } else {
      for (let i = 0; i < part.length; i++) mix(part.charCodeAt(i));
    }
  }
  return h & 0x7fffffff;
}

/** Fisher–Yates shuffle of 0..n−1 (or of the given indices), in a new array. */
export function seededPermutation(indices: ArrayLike<number>, seed: number): Int32Array {
  const out = Int32Array.from(indices);
  const random = mulberry32(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = out[i] ?? 0;
    out[i] = out[j] ?? 0;
    out[j] = tmp;
  }
  return out;
}

export function range(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}
