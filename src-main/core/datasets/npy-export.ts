/**
 * Exports a dataset as NumPy arrays, one set per exported split (export-selection.ts: a
 * constructed dataset's training split alone unless its original test images are asked for):
 *   {split}_images.npy   (N, H, W, C), the dataset's own dtype: uint8 (|u1, 0..255) or float32
 *                        (<f4, 0..1, exactly as stored: constructed datasets are never quantized)
 *   {split}_labels.npy   (N,), int64 (<i8) or int32 (<i4)
 *   {split}_indices.npy  (N,), int64: each image's index in the project's dataset
 * and, for a constructed dataset whose provenance was recorded:
 *   {split}_source_indices.npy   (N,), int64: the index in the source dataset of the image each
 *                                was made from (a test image: the image copied)
 *   {split}_original_labels.npy  (N,), the labels' dtype: that source image's label
 * plus dataset.json (name, class names, shape, dtype, value range, source, split, files, and for
 * a constructed dataset its provenance). Images are in dataset-index order within each split.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetTaskResult } from '../../common/dataset-io-schemas';
import type { DatasetRecord, DatasetRepository } from '../../db/repositories/dataset-repository';
import { datasetChunks, imageValues } from './dataset-chunks';
import type { DatasetProvenance } from '../../db/repositories/dataset-repository';
import { formatCount } from './dataset-content';
import { splitIndices } from './dataset-reading';
import { splitMarks, type ExportSelection } from './export-selection';
import type { ExportFolder } from './export-folder';
import { NpyWriter } from './npy-writer';
import { checkpoint, type TaskContext } from './task-context';

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
  selection: ExportSelection,
  context: TaskContext,
): Promise<DatasetTaskResult> {
  const size = imageValues(dataset);
  const members = selection.splits.map((split) => splitIndices(dataset, split));
  const exported = members.reduce((n, indices) => n + indices.length, 0);
  const writers: NpyWriter[] = [];
  const files: string[] = [];
  try {
    for (const [s, split] of selection.splits.entries()) {
      const path = join(folder.path, `${split}_images.npy`);
      writers.push(
        await NpyWriter.create(path, dataset.dtype, [
          members[s]?.length ?? 0,
          ...dataset.imageShape,
        ]),
      );
      files.push(path);
    }
    let done = 0;
    for (const chunk of datasetChunks(repository, dataset)) {
      for (const [s, writer] of writers.entries()) {
        const mark = splitMarks[selection.splits[s] ?? 'train'];
        const positions: number[] = [];
        for (let k = 0; k < chunk.count; k += 1) {
          if (dataset.splits[chunk.first + k] === mark) positions.push(k);
        }
        if (positions.length > 0) await writer.write(gather(chunk.pixels, positions, size));
        done += positions.length;
      }
      context.report(
        exported === 0 ? 1 : done / exported,
        `writing images: ${formatCount(done)} of ${formatCount(exported)}`,
      );
      await checkpoint(context);
      // A constructed dataset keeps its training images first: once they are out, stop reading.
      if (done === exported) break;
    }
    for (const writer of writers.splice(0)) await writer.close();
  } catch (error) {
    for (const writer of writers) await writer.discard();
    throw error;
  }
  const { provenance } = selection;
  for (const [s, split] of selection.splits.entries()) {
    const indices = members[s] ?? [];
    const column = (values: Int32Array) => Int32Array.from(indices, (index) => values[index] ?? -1);
    const vectors: [string, 'int64' | 'int32', Int32Array][] = [
      ['labels', labelDtype, column(dataset.labels)],
      ['indices', 'int64', Int32Array.from(indices)],
    ];
    if (provenance) {
      vectors.push(
        ['source_indices', 'int64', column(provenance.sourceIndices)],
        ['original_labels', labelDtype, column(provenance.originalLabels)],
      );
    }
    for (const [name, dtype, values] of vectors) {
      const writer = await NpyWriter.create(join(folder.path, `${split}_${name}.npy`), dtype, [
        values.length,
      ]);
      await writer.write(values);
      await writer.close();
      files.push(writer.path);
    }
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
        ...(selection.constructed && {
          splits: selection.splits,
          provenance: provenanceDescription(provenance),
          notes: selection.notes,
        }),
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
    summary: `exported ${formatCount(exported)} images as .npy arrays (${dataset.dtype === 'uint8' ? 'uint8' : 'float32, exact values'}) to ${folder.target}`,
    notes: selection.notes,
  };
}

/** dataset.json's word on where the images came from; null: not recorded. */
function provenanceDescription(provenance: DatasetProvenance | null) {
  if (!provenance) return null;
  const { sourceDatasetId: id, sourceDatasetName: name } = provenance;
  return {
    sourceDataset: { id, name },
    sourceIndices: `{split}_source_indices.npy: per image, the index in dataset ${id} "${name}" (over both its splits, as the workbench's dataset view numbers it) of the image it was made from`,
    originalLabels: `{split}_original_labels.npy: per image, that source image's label; {split}_labels.npy holds the label the image carries here (for D_rand / D_det the target class)`,
  };
}
