/**
 * Reading a dataset stored in the project, for the jobs that send its images to the engine
 * (training, attacks, evaluation, the features lab, experiments). Importing a dataset from files
 * is read-dataset.ts.
 */
import type { DatasetRecord } from '../../db/repositories/dataset-repository';
import type { ProjectStore } from '../../db/project-store';
import type { ImageBatch } from '../../engine/engine-types';

/** The dataset's image indices in one split, ascending (the `splits` column: 0 train, 1 test). */
export function splitIndices(dataset: DatasetRecord, split: 'train' | 'test'): number[] {
  const mark = split === 'train' ? 0 : 1;
  const indices: number[] = [];
  dataset.splits.forEach((value, index) => {
    if (value === mark) indices.push(index);
  });
  return indices;
}

/** The images at `indices`, in that order, as one NHWC batch, with their labels. */
export function imageBatch(
  store: ProjectStore,
  dataset: DatasetRecord,
  indices: readonly number[],
): { images: ImageBatch; labels: Int32Array } {
  const [height, width, channels] = dataset.imageShape;
  const data = store.datasets.readImages(dataset, indices);
  const labels = Int32Array.from(indices, (index) => dataset.labels[index] ?? -1);
  return { images: { shape: [indices.length, height, width, channels], data }, labels };
}

/** Images first … first + count − 1 of a batch, with their labels: one engine shard's share. */
export function batchSlice(
  batch: { images: ImageBatch; labels: Int32Array },
  first: number,
  count: number,
): { images: ImageBatch; labels: Int32Array } {
  const [, height, width, channels] = batch.images.shape;
  const imageSize = height * width * channels;
  return {
    images: {
      shape: [count, height, width, channels],
      data: batch.images.data.slice(first * imageSize, (first + count) * imageSize),
    },
    labels: batch.labels.slice(first, first + count),
  };
}
