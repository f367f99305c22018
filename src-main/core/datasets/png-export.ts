/**
 * Exports a dataset as PNG files: {folder}/{split}/{class}/{index}.png, where index is the
 * image's dataset index (zero-padded) and class the class name made safe for a file name.
 * classes.txt lists the class folders in label order (folder names sort alphabetically, which
 * need not be label order). A constructed dataset writes its training split alone unless its
 * original test images are asked for (export-selection.ts), and, where its provenance was
 * recorded, provenance.csv: one line per file written,
 *   file,split,label,source_index,original_label
 * file relative to the export folder; source_index the index in the source dataset of the image
 * it was made from, original_label that image's label there.
 *
 * PNG holds bytes: float32 datasets are quantized to round(clamp(v, 0, 1)·255), and the result
 * says so; .npy export keeps the exact values.
 */
import { mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { DatasetTaskResult } from '../../common/dataset-io-schemas';
import type { DatasetRecord, DatasetRepository } from '../../db/repositories/dataset-repository';
import { datasetChunks, imageValues } from './dataset-chunks';
import { formatCount } from './dataset-content';
import { splitMarks, type ExportSelection } from './export-selection';
import type { ExportFolder } from './export-folder';
import { checkpoint, type TaskContext } from './task-context';

/** Files encoded at once. */
const parallel = 8;

/** Folder names for the classes: unsafe characters → '_', unique, never empty. */
export function classFolderNames(classNames: readonly string[]): string[] {
  const used = new Set<string>();
  return classNames.map((name, label) => {
    let safe = name
      // eslint-disable-next-line no-control-regex
      .replace(/[/\\:*?"<>|\u0000-\u001f]/g, '_')
      .trim()
      .replace(/\.+$/, '');
    if (safe === '' || safe === '.' || safe === '..') safe = `class-${label}`;
    if (used.has(safe.toLowerCase())) safe = `${safe}-${label}`;
    used.add(safe.toLowerCase());
    return safe;
  });
}

/** A CSV field: quoted, with quotes doubled, where a class name put a comma or quote in it. */
function csvField(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Bytes for a PNG: uint8 as is, float32 as round(clamp(v, 0, 1)·255). */
export function toBytes(pixels: Uint8Array | Float32Array): Uint8Array {
  if (pixels instanceof Uint8Array) return pixels;
  return Uint8Array.from(pixels, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
}

export async function exportPng(
  repository: DatasetRepository,
  dataset: DatasetRecord,
  folder: ExportFolder,
  selection: ExportSelection,
  context: TaskContext,
): Promise<DatasetTaskResult> {
  const marks = new Set(selection.splits.map((split) => splitMarks[split]));
  const exported = dataset.splits.reduce((n, mark) => n + (marks.has(mark) ? 1 : 0), 0);
  const { provenance } = selection;
  const lines = ['file,split,label,source_index,original_label'];
  const [height, width] = dataset.imageShape;
  // The project stores 1 or 3 channels (a CHECK in the schema).
  const channels = dataset.imageShape[2] === 1 ? 1 : 3;
  const size = imageValues(dataset);
  const classFolders = classFolderNames(dataset.classNames);
  const digits = String(Math.max(0, dataset.count - 1)).length;
  const made = new Set<string>();
  let written = 0;
  for (const chunk of datasetChunks(repository, dataset)) {
    if (written === exported) break;
    const bytes = toBytes(chunk.pixels);
    for (let start = 0; start < chunk.count; start += parallel) {
      const writes: Promise<unknown>[] = [];
      for (let k = start; k < Math.min(chunk.count, start + parallel); k += 1) {
        const index = chunk.first + k;
        if (!marks.has(dataset.splits[index] ?? -1)) continue;
        const split = dataset.splits[index] === 0 ? 'train' : 'test';
        const classFolder = join(
          folder.path,
          split,
          classFolders[dataset.labels[index] ?? 0] ?? 'unknown',
        );
        if (!made.has(classFolder)) {
          mkdirSync(classFolder, { recursive: true });
          made.add(classFolder);
        }
        const image = bytes.subarray(k * size, (k + 1) * size);
        const file = join(classFolder, `${String(index).padStart(digits, '0')}.png`);
        if (provenance) {
          const relative = file
            .slice(folder.path.length + 1)
            .split('\\')
            .join('/');
          lines.push(
            `${csvField(relative)},${split},${dataset.labels[index]},${provenance.sourceIndices[index]},${provenance.originalLabels[index]}`,
          );
        }
        writes.push(sharp(image, { raw: { width, height, channels } }).png().toFile(file));
      }
      await Promise.all(writes);
      written += writes.length;
    }
    context.report(
      exported === 0 ? 1 : written / exported,
      `writing PNG files: ${formatCount(written)} of ${formatCount(exported)}`,
    );
    await checkpoint(context);
  }
  await writeFile(join(folder.path, 'classes.txt'), `${classFolders.join('\n')}\n`);
  if (provenance) await writeFile(join(folder.path, 'provenance.csv'), `${lines.join('\n')}\n`);
  const notes = [
    ...selection.notes,
    ...(dataset.dtype === 'float32'
      ? [
          'the dataset is float32: PNG holds 8-bit values, so every pixel was quantized to round(clamp(v, 0, 1)·255). Export as .npy to keep the exact values.',
        ]
      : []),
  ];
  return {
    datasetId: dataset.id,
    folder: folder.target,
    files: written + (provenance ? 2 : 1),
    summary: `exported ${formatCount(written)} PNG files to ${folder.target}`,
    notes,
  };
}
