/**
 * An IDX import: train images + labels and, optionally, test images + labels become one dataset
 * of 28×28×1 (or whatever the files say) bytes, train first then test, each in file order.
 * Every file is checked and every problem reported together.
 */
import { basename, dirname } from 'node:path';
import type { ClassNamesChoice } from '../../common/dataset-io-schemas';
import {
  labelRangeProblem,
  largestLabel,
  resolveClassNames,
  unusedClassProblem,
} from './class-names';
import { readMaybeGzip } from './compressed-file';
import { DatasetImportError, formatCount, type DatasetContent } from './dataset-content';
import type { IdxFiles } from './idx-folder';
import { checkImportBytes } from './import-file';
import {
  idxImagesHeaderSize,
  idxLabelsHeaderSize,
  parseIdxImages,
  parseIdxLabels,
  type IdxImages,
} from './idx-reader';
import { checkpoint, type TaskContext } from './task-context';

interface SplitFiles {
  split: 'train' | 'test';
  images: IdxImages;
  labels: Uint8Array;
  labelsPath: string;
}

export async function loadIdxDataset(
  files: IdxFiles,
  classChoice: ClassNamesChoice,
  context: TaskContext,
): Promise<DatasetContent> {
  if ((files.testImages === null) !== (files.testLabels === null)) {
    throw new DatasetImportError([
      'give both test files (images and labels) or neither: one of them is missing',
    ]);
  }
  const pairs: { split: 'train' | 'test'; images: string; labels: string }[] = [
    { split: 'train', images: files.trainImages, labels: files.trainLabels },
  ];
  if (files.testImages && files.testLabels) {
    pairs.push({ split: 'test', images: files.testImages, labels: files.testLabels });
  }
  const problems: string[] = [];
  const parsed: SplitFiles[] = [];
  const total = pairs.length * 2;
  let done = 0;
  /** Reads one file with progress; a fault joins `problems` and gives null. */
  const readFile = async <T>(file: string, read: (file: string) => Promise<T>) => {
    let value: T | null = null;
    context.report(done / total, `reading ${basename(file)}`);
    try {
      value = await read(file);
    } catch (error) {
      problems.push((error as Error).message);
    }
    done += 1;
    await checkpoint(context);
    return value;
  };
  for (const pair of pairs) {
    const images: IdxImages | null = await readFile(pair.images, async (file) =>
      parseIdxImages(await readMaybeGzip(file, idxImagesHeaderSize(file)), file),
    );
    const labels: Uint8Array | null = await readFile(pair.labels, async (file) =>
      parseIdxLabels(await readMaybeGzip(file, idxLabelsHeaderSize(file)), file),
    );
    if (images && labels) {
      if (images.count === 0) {
        problems.push(
          `${basename(pair.images)} holds no images: the ${pair.split} split needs at least one`,
        );
      } else if (images.count !== labels.length) {
        problems.push(
          `${basename(pair.images)} holds ${formatCount(images.count)} images but ${basename(pair.labels)} holds ${formatCount(labels.length)} labels`,
        );
      } else {
        parsed.push({ split: pair.split, images, labels, labelsPath: pair.labels });
      }
    }
  }
  const [train, test] = parsed;
  if (
    train &&
    test &&
    (train.images.rows !== test.images.rows || train.images.columns !== test.images.columns)
  ) {
    problems.push(
      `train images are ${train.images.rows}×${train.images.columns} but test images are ${test.images.rows}×${test.images.columns}`,
    );
  }
  const largest = Math.max(-1, ...parsed.map((part) => largestLabel(part.labels)));
  const classNames = resolveClassNames(classChoice, largest, null);
  const labelSets = parsed.map((part) => ({
    labels: part.labels,
    where: basename(part.labelsPath),
  }));
  // Numbered classes come from the labels, so only gaps can be wrong; named ones fix the range.
  const labelProblems =
    classChoice.kind === 'numbered'
      ? [unusedClassProblem(labelSets, classNames.length)]
      : labelSets.map(({ labels, where }) => labelRangeProblem(labels, classNames.length, where));
  for (const problem of labelProblems) if (problem) problems.push(problem);
  const imageBytes = parsed.reduce((sum, part) => sum + part.images.pixels.length, 0);
  try {
    checkImportBytes(imageBytes, 'the dataset');
  } catch (error) {
    problems.push((error as Error).message);
  }
  if (problems.length > 0 || !train) throw new DatasetImportError(problems);

  const { rows, columns } = train.images;
  const count = parsed.reduce((sum, part) => sum + part.images.count, 0);
  const pixels = new Uint8Array(count * rows * columns);
  const labels = new Int32Array(count);
  const splits = new Uint8Array(count);
  let position = 0;
  for (const part of parsed) {
    pixels.set(part.images.pixels, position * rows * columns);
    labels.set(part.labels, position);
    splits.fill(part.split === 'train' ? 0 : 1, position, position + part.images.count);
    position += part.images.count;
  }
  const trainCount = train.images.count;
  const fileList = pairs.flatMap((pair) => [pair.images, pair.labels]);
  const notes =
    test === undefined ? ['no test files were given: every image is in the train split'] : [];
  return {
    imageShape: [rows, columns, 1],
    classNames,
    source: `IDX files from ${dirname(files.trainImages)}: ${fileList.map((file) => basename(file)).join(', ')}`,
    split: {
      method: test
        ? 'as published: the train files are train, the test files test (file order kept)'
        : 'train files only (file order kept)',
      seed: 0,
      train: trainCount,
      test: count - trainCount,
    },
    pixels,
    labels,
    splits,
    files: fileList,
    notes,
  };
}
