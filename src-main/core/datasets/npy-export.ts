/**
 * Exports a dataset as NumPy arrays, one set per split:
 *   {split}_images.npy   (N, H, W, C), the dataset's own dtype: uint8 (|u1, 0..255) or float32
 *                        (<f4, 0..1, exactly as stored: constructed datasets are never quantized)
 *   {split}_labels.npy   (N,), int64 (<i8) or int32 (<i4)
 *   {split}_indices.npy  (N,), int64: each image's index in the project's dataset
 * plus dataset.json (name, class names, shape, dtype, value range, source, split, files).
 * Images are in dataset-index order within each split.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetTaskResult } from '../../common/dataset-io-schemas';
import type { DatasetRecord, DatasetRepository } from '../../db/repositories/dataset-repository';
import { datasetChunks, imageValues } from './dataset-chunks';
import { formatCount } from './dataset-content';
import type { ExportFolder } from './export-folder';
import { NpyWriter } from './npy-writer';
import { checkpoint, type TaskContext } from './task-context';

const splitNames = ['train', 'test'] as const;

/** Copies the images of one split out of a chunk into one contiguous array. */
function gather(
  pixels: Uint8Array | Float32Array,
  positions: number[],
  size: number,
): Uint8Array | Float32Array {
  const out =
    pixels instanceof Float32Array
      ? new Float32Array(positions.length * size)
      : new Uint8Array(positions.length * size);
  positions.forEach((position, k) =>
    out.set(pixels.subarray(position * size, (position + 1) * size), k * size),
  );
  return out;
}

export async function exportNpy(
  repository: DatasetRepository,
  dataset: DatasetRecord,
  folder: ExportFolder,
  labelDtype: 'int64' | 'int32',
  context: TaskContext,
): Promise<DatasetTaskResult> {
  const size = imageValues(dataset);
  const members = splitNames.map((_, mark) =>
    Array.from(dataset.splits.keys()).filter((index) => dataset.splits[index] === mark),
  );
  const writers: NpyWriter[] = [];
  const files: string[] = [];
  try {
    for (const [mark, split] of splitNames.entries()) {
      const path = join(folder.path, `${split}_images.npy`);
      writers.push(
        await NpyWriter.create(path, dataset.dtype, [
          members[mark]?.length ?? 0,
          ...dataset.imageShape,
        ]),
      );
      files.push(path);
    }
    for (const chunk of datasetChunks(repository, dataset)) {
      for (const [mark, writer] of writers.entries()) {
        const positions: number[] = [];
        for (let k = 0; k < chunk.count; k += 1) {
          if (dataset.splits[chunk.first + k] === mark) positions.push(k);
        }
        if (positions.length > 0) await writer.write(gather(chunk.pixels, positions, size));
      }
      const done = chunk.first + chunk.count;
      context.report(
        done / dataset.count,
        `writing images: ${formatCount(done)} of ${formatCount(dataset.count)}`,
      );
      await checkpoint(context);
    }
    for (const writer of writers.splice(0)) await writer.close();
  } catch (error) {
    for (const writer of writers) await writer.discard();
    throw error;
  }
  for (const [mark, split] of splitNames.entries()) {
    const indices = members[mark] ?? [];
    const labels = Int32Array.from(indices, (index) => dataset.labels[index] ?? -1);
    const labelWriter = await NpyWriter.create(
      join(folder.path, `${split}_labels.npy`),
      labelDtype,
      [indices.length],
    );
    await labelWriter.write(labels);
    await labelWriter.close();
    const indexWriter = await NpyWriter.create(join(folder.path, `${split}_indices.npy`), 'int64', [
      indices.length,
    ]);
    await indexWriter.write(Int32Array.from(indices));
    await indexWriter.close();
    files.push(labelWriter.path, indexWriter.path);
  }
  const names = files.map((path) => path.slice(folder.path.length + 1));
  await writeFile(
    join(folder.path, 'dataset.json'),
    `${JSON.stringify(
      {
        name: dataset.name,
        classNames: dataset.classNames,
        imageShape: dataset.imageShape,
        layout: 'NHWC, C order',
        dtype: dataset.dtype,
        valueRange: dataset.dtype === 'uint8' ? [0, 255] : [0, 1],
        labelDtype,
        source: dataset.source,
        split: dataset.split,
        files: names,
      },
      null,
      2,
    )}\n`,
  );
  return {
    datasetId: dataset.id,
    folder: folder.target,
    files: files.length + 1,
    summary: `exported ${formatCount(dataset.count)} images as .npy arrays (${dataset.dtype === 'uint8' ? 'uint8' : 'float32, exact values'}) to ${folder.target}`,
    notes: [],
  };
}
