/**
 * File I/O for the NumPy export: a model's weights as an .npz and its architecture description
 * as JSON, side by side. Paths in, files out; the core decides where.
 *
 * In Python:  w = numpy.load('model.npz');  w['conv1.weight'].shape  → (3, 3, 1, 16)
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { ModelSpec, WeightTensor } from '../../engine-types';
import {
  checkWeightsMatch,
  describeArchitecture,
  type ArchitectureDescription,
} from './architecture-description';
import { decodeNpz, encodeNpz } from './npz';

export interface NpzExportPaths {
  /** Where the .npz goes, e.g. '/exports/robust-cnn.npz'. */
  npz: string;
  /** Where the architecture JSON goes, e.g. '/exports/robust-cnn.architecture.json'. */
  description: string;
}

/** Writes both files; the weights must be exactly the architecture's, in any order. */
export async function exportModelNpz(
  paths: NpzExportPaths,
  spec: ModelSpec,
  weights: readonly WeightTensor[],
): Promise<ArchitectureDescription> {
  const description = describeArchitecture(spec);
  checkWeightsMatch(description, weights);
  const order = new Map(weights.map((w) => [w.name, w]));
  const ordered = description.parameters.map((p) => order.get(p.name) as WeightTensor);
  await writeFile(paths.npz, encodeNpz(ordered));
  await writeFile(paths.description, `${JSON.stringify(description, null, 2)}\n`);
  return description;
}

/** Reads an .npz's float32 arrays back as weights (e.g. to check an export, or to import one). */
export async function readModelNpz(path: string): Promise<WeightTensor[]> {
  const bytes = await readFile(path);
  try {
    return decodeNpz(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    throw new Error(`${path}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}
