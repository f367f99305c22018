/**
 * A CIFAR import: the training batches in order, then the test batch, as 32×32×3 bytes. Class
 * names come from the release's names file unless the person chose others.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ClassNamesChoice } from '../../common/dataset-io-schemas';
import { labelRangeProblem, numberedClassNames, resolveClassNames } from './class-names';
import {
  checkCifarSize,
  parseCifarBatch,
  parseNamesFile,
  cifarSide,
  type CifarRecords,
  type CifarVariant,
} from './cifar-reader';
import type { CifarFiles } from './cifar-folder';
import { DatasetImportError, type DatasetContent } from './dataset-content';
import { checkImportBytes, formatMegabytes, importFileSize, regularFileSize } from './import-file';
import { checkpoint, type TaskContext } from './task-context';

/** A names file lists 10 or 100 short names: anything past 1 MB is not one. */
const namesFileLimit = 1024 * 1024;

/** Classes per label kind: CIFAR-10 10; CIFAR-100 100 fine, 20 coarse. */
function classCount(variant: CifarVariant, labelKind: 'fine' | 'coarse'): number {
  if (variant === 'cifar-10') return 10;
  return labelKind === 'fine' ? 100 : 20;
}

export async function loadCifarDataset(
  files: CifarFiles,
  variant: CifarVariant,
  labelKind: 'fine' | 'coarse',
  classChoice: ClassNamesChoice,
  context: TaskContext,
): Promise<DatasetContent> {
  const expected = classCount(variant, labelKind);
  const notes: string[] = [];
  let fileNames: string[] | null = null;
  if (files.names) {
    const size = regularFileSize(files.names);
    if (size > namesFileLimit) {
      throw new DatasetImportError([
        `${basename(files.names)} is ${formatMegabytes(size)}: a names file of one class per line is a few KB (at most ${formatMegabytes(namesFileLimit)} is read)`,
      ]);
    }
    const names = parseNamesFile(await readFile(files.names, 'utf8'));
    if (names.length === expected) fileNames = names;
    else {
      notes.push(
        `${basename(files.names)} lists ${names.length} names but ${variant} has ${expected} ${variant === 'cifar-100' ? `${labelKind} ` : ''}classes: numbered names are used`,
      );
    }
  }
  const classNames =
    classChoice.kind === 'numbered'
      ? (fileNames ?? numberedClassNames(expected))
      : resolveClassNames(classChoice, expected - 1, null);

  const batches = [
    ...files.train.map((path) => ({ path, split: 0 })),
    ...(files.test ? [{ path: files.test, split: 1 }] : []),
  ];
  const problems: string[] = [];
  const parsed: { records: CifarRecords; split: number }[] = [];
  for (const [n, batch] of batches.entries()) {
    context.report(n / batches.length, `reading ${basename(batch.path)}`);
    try {
      // Size and record count are checked before the file is read.
      checkCifarSize(importFileSize(batch.path), batch.path, variant);
      const records = parseCifarBatch(await readFile(batch.path), batch.path, variant);
      const labels = labelKind === 'coarse' ? records.coarseLabels : records.fineLabels;
      const problem = labelRangeProblem(labels, classNames.length, basename(batch.path));
      if (problem) problems.push(problem);
      parsed.push({ records, split: batch.split });
    } catch (error) {
      problems.push((error as Error).message);
    }
    await checkpoint(context);
  }
  const datasetBytes = parsed.reduce((sum, part) => sum + part.records.pixels.length, 0);
  try {
    checkImportBytes(datasetBytes, 'the dataset');
  } catch (error) {
    problems.push((error as Error).message);
  }
  if (problems.length > 0) throw new DatasetImportError(problems);
  if (!files.test) notes.push('no test batch was found: every image is in the train split');

  const count = parsed.reduce((sum, part) => sum + part.records.count, 0);
  const imageBytes = cifarSide * cifarSide * 3;
  const pixels = new Uint8Array(count * imageBytes);
  const labels = new Int32Array(count);
  const splits = new Uint8Array(count);
  let position = 0;
  for (const { records, split } of parsed) {
    pixels.set(records.pixels, position * imageBytes);
    labels.set(labelKind === 'coarse' ? records.coarseLabels : records.fineLabels, position);
    splits.fill(split, position, position + records.count);
    position += records.count;
  }
  const train = splits.reduce((sum, split) => sum + (split === 0 ? 1 : 0), 0);
  const read = batches.map((batch) => batch.path);
  return {
    imageShape: [cifarSide, cifarSide, 3],
    classNames,
    source: `${variant.toUpperCase()} binary batches from ${files.folder}${variant === 'cifar-100' ? ` (${labelKind} labels)` : ''}: ${read.map((path) => basename(path)).join(', ')}`,
    split: {
      method: files.test
        ? 'as published: the training batches are train, the test batch test (file order kept)'
        : 'training batches only (file order kept)',
      seed: 0,
      train,
      test: count - train,
    },
    pixels,
    labels,
    splits,
    files: files.names ? [...read, files.names] : read,
    notes,
  };
}
