/**
 * The model-randomization sanity check (Adebayo et al. 2018, "Sanity checks for saliency maps"):
 * a saliency method that explains the model must give a different map when the model's weights
 * are replaced by random ones. A map that survives randomization shows the image (edges), not
 * what the model learned.
 *
 * randomizedCopy: the same architecture and spec with fresh seeded weights (createModel), either
 * all of them (full randomization) or only the named ones, the rest copied from the trained model
 * (the paper's cascading randomization re-draws the layers from the logits downwards, one more
 * layer at a time). Imported tfjs-layers models are rebuilt from the layers description their
 * spec carries, with the same initializers as createModel uses for them.
 *
 * mapSimilarity: per image, for maps a, b of P pixels each (e.g. saliencyMap's [N,H,W]):
 *   Spearman ρ = Pearson correlation of the ranks of a and of b (ties get their average rank),
 *   Pearson r  = Σ (a − ā)(b − b̄) / √(Σ (a − ā)² · Σ (b − b̄)²).
 * ρ near 1: the same pixels stand out in both maps (the check fails); near 0: the map changed.
 * Both are undefined (null) where a map is constant (e.g. all 0 for a network whose ReLUs are
 * all off), as there is no ordering to compare.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { architectures, type ArchitectureRegistry } from '../models/architecture-registry';
import { createModel } from '../models/create-model';
import type { Model } from '../models/model-types';

export interface RandomizationOptions {
  /**
   * Re-draw only these parameters (Model.parameters names, e.g. ['fc2.weight', 'fc2.bias']);
   * the others keep the trained model's values. Default: all of them.
   */
  only?: readonly string[];
}

/** A new Model (the caller disposes it) of the same spec, with seeded random weights. */
export function randomizedCopy(
  model: Model,
  seed: number,
  options: RandomizationOptions = {},
  registry: ArchitectureRegistry = architectures,
): Model {
  if (!Number.isInteger(seed)) throw new Error(`seed must be a whole number, got ${String(seed)}`);
  const trained = new Map(model.parameters.map((p) => [p.name, p.variable]));
  const only = options.only === undefined ? null : new Set(options.only);
  if (only !== null) {
    for (const name of only) {
      if (!trained.has(name)) {
        throw new Error(
          `the model has no parameter ${name}; it has ${[...trained.keys()].join(', ')}`,
        );
      }
    }
  }
  let copy: Model;
  try {
    copy = createModel(model.spec, seed, registry);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `cannot make a randomized copy of this ${model.spec.architecture} model: ${reason}`,
      { cause: error },
    );
  }
  if (only === null) return copy;
  try {
    for (const parameter of copy.parameters) {
      if (only.has(parameter.name)) continue;
      const value = trained.get(parameter.name);
      if (value === undefined) {
        throw new Error(`the copy has a parameter ${parameter.name} the model lacks`);
      }
      parameter.variable.assign(value);
    }
    return copy;
  } catch (error) {
    copy.dispose();
    throw error;
  }
}

export interface MapSimilarity {
  /** Spearman's ρ per image; null where either map is constant. */
  spearman: (number | null)[];
  /** Pearson's r per image; null where either map is constant. */
  pearson: (number | null)[];
}

/** Ranks 1..P of the values, ties sharing their average rank. */
function ranks(values: Float32Array): Float64Array {
  const order = Array.from(values.keys()).sort((i, j) => (values[i] ?? 0) - (values[j] ?? 0));
  const out = new Float64Array(values.length);
  let start = 0;
  while (start < order.length) {
    let end = start + 1;
    while (end < order.length && values[order[end] ?? 0] === values[order[start] ?? 0]) end++;
    // Positions start..end−1 (0-based) hold equal values: ranks start+1..end, average (start+1+end)/2.
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) out[order[k] ?? 0] = rank;
    start = end;
  }
  return out;
}

function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number | null {
  const n = a.length;
  let meanA = 0;
  let meanB = 0;
  for (let i = 0; i < n; i++) {
    meanA += a[i] ?? 0;
    meanB += b[i] ?? 0;
  }
  meanA /= n;
  meanB /= n;
  let cross = 0;
  let squaresA = 0;
  let squaresB = 0;
  for (let i = 0; i < n; i++) {
    const da = (a[i] ?? 0) - meanA;
    const db = (b[i] ?? 0) - meanB;
    cross += da * db;
    squaresA += da * da;
    squaresB += db * db;
  }
  if (squaresA === 0 || squaresB === 0) return null;
  return Math.max(-1, Math.min(1, cross / Math.sqrt(squaresA * squaresB)));
}

/** Spearman and Pearson correlation of two batches of maps [N, …] of the same shape, per image. */
export function mapSimilarity(a: tf.Tensor, b: tf.Tensor): MapSimilarity {
  if (a.shape.length !== b.shape.length || a.shape.some((size, i) => size !== b.shape[i])) {
    throw new Error(
      `the maps must have the same shape, got [${a.shape.join(', ')}] and [${b.shape.join(', ')}]`,
    );
  }
  if (a.rank < 2) {
    throw new Error(`maps must be [N, height, width], got [${a.shape.join(', ')}]`);
  }
  const n = a.shape[0] ?? 0;
  const pixels = a.size / Math.max(1, n);
  const dataA = a.dataSync();
  const dataB = b.dataSync();
  for (const [which, data] of [
    ['first', dataA],
    ['second', dataB],
  ] as const) {
    const bad = data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new Error(`the ${which} map has a non-finite value at ${bad}`);
  }
  const result: MapSimilarity = { spearman: [], pearson: [] };
  for (let i = 0; i < n; i++) {
    const mapA = Float32Array.from(dataA.subarray(i * pixels, (i + 1) * pixels));
    const mapB = Float32Array.from(dataB.subarray(i * pixels, (i + 1) * pixels));
    result.pearson.push(pearson(mapA, mapB));
    result.spearman.push(pearson(ranks(mapA), ranks(mapB)));
  }
  return result;
}
