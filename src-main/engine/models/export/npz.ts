/**
 * NumPy .npz: a zip archive of .npy files, one per array, named '<key>.npy' (numpy.savez's
 * layout; numpy.load(path)[key] reads one back). Stored uncompressed, as numpy.savez does;
 * fflate writes and reads the zip.
 */
import { unzipSync, zipSync } from 'fflate';
import type { WeightTensor } from '../../engine-types';
import { decodeNpy, encodeNpy } from './npy';

export function encodeNpz(weights: readonly WeightTensor[]): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  for (const weight of weights) {
    const file = `${weight.name}.npy`;
    if (file in files) throw new Error(`two weights are named ${weight.name}`);
    files[file] = encodeNpy(weight.shape, weight.data);
  }
  return zipSync(files, { level: 0 });
}

/** The arrays of an .npz, in archive order, as named weights. */
export function decodeNpz(bytes: Uint8Array): WeightTensor[] {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (error) {
    throw new Error(
      `not an .npz (zip) archive: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return Object.entries(files).map(([file, content]) => {
    if (!file.endsWith('.npy'))
      throw new Error(`the archive holds ${file}, which is not a .npy file`);
    const name = file.slice(0, -'.npy'.length);
    const { shape, data } = decodeNpy(content, file);
    return { name, shape, data };
  });
}
