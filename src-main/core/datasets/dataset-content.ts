/**
 * What every import reader produces: the images, labels and split of a dataset, plus the files
 * it read and notes for the preview. Pixels read from files are bytes (uint8, 0..255, HWC);
 * generated ones (synthetic features) are float32 in [0,1] and stay so.
 */
import type { NewDataset } from '../../db/repositories/dataset-repository';

/**
 * The fields of the dataset it becomes, all but the name (which the user gives): image shape,
 * class names, source (stored with the dataset), split, pixels (N·H·W·C), labels and splits
 * (0 = train, 1 = test, one per image).
 */
export interface DatasetContent extends Omit<NewDataset, 'name'> {
  /** Every file that was read. */
  files: string[];
  /** Facts that did not block the import, for the preview. */
  notes: string[];
}

/**
 * Bad input: every problem found, one sentence each naming the file and the fault. The preview
 * lists them; an import refuses with all of them in its message.
 */
export class DatasetImportError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'DatasetImportError';
  }
}

/** The problems of an error: its list when it is a DatasetImportError, else its message. */
export function problemsOf(error: unknown): string[] {
  if (error instanceof DatasetImportError) return error.problems;
  return [error instanceof Error ? error.message : String(error)];
}

/** counts[split][class] for labels in 0..classCount−1. */
export function countPerClass(
  labels: Int32Array,
  splits: Uint8Array,
  classCount: number,
): { train: number[]; test: number[] } {
  const counts = {
    train: new Array<number>(classCount).fill(0),
    test: new Array<number>(classCount).fill(0),
  };
  labels.forEach((label, index) => {
    const perClass = splits[index] === 0 ? counts.train : counts.test;
    if (label >= 0 && label < classCount) perClass[label] = (perClass[label] ?? 0) + 1;
  });
  return counts;
}

/** "60,000" */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** "1 file", "2 files" */
export function countOf(value: number, noun: string): string {
  return `${formatCount(value)} ${noun}${value === 1 ? '' : 's'}`;
}
