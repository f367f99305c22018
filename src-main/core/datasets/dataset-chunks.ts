/**
 * Walks a stored dataset in storage order, one chunk of images at a time, so an export reads
 * each pixel chunk once and never holds the whole dataset.
 */
import type { DatasetRecord, DatasetRepository } from '../../db/repositories/dataset-repository';
import { chunkSize } from '../../db/repositories/dataset-repository';

export interface ImageChunk {
  /** Dataset index of the chunk's first image. */
  first: number;
  count: number;
  /** count·H·W·C values of the dataset's dtype. */
  pixels: Uint8Array | Float32Array;
}

export function* datasetChunks(
  repository: DatasetRepository,
  dataset: DatasetRecord,
): Generator<ImageChunk> {
  for (let first = 0; first < dataset.count; first += chunkSize) {
    const count = Math.min(chunkSize, dataset.count - first);
    const indices = Array.from({ length: count }, (_, k) => first + k);
    yield { first, count, pixels: repository.readImages(dataset, indices) };
  }
}

export function imageValues(dataset: DatasetRecord): number {
  const [height, width, channels] = dataset.imageShape;
  return height * width * channels;
}
