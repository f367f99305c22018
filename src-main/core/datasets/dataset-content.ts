/**
 * What every import reader produces: the images, labels and split of a dataset, plus the files
 * it read and notes for the preview. Pixels read from files are bytes (uint8, 0..255, HWC);
 * generated ones (synthetic features) are float32 in [0,1] and stay so.
 */
import type { SplitInfo } from '../../db/repositories/dataset-repository';

export interface DatasetContent {
  /** [height, width, channels] of every image. */
  imageShape: [number, number, number];
  classNames: string[];
  /** Where the data came from, stored with the dataset. */
  source: string;
  split: SplitInfo;
  /** N·H·W·C: bytes from files, float32 from the synthetic generator. */
  pixels: Uint8Array | Float32Array;
  labels: Int32Array;
  /** 0 = train, 1 = test, one per image. */
  splits: Uint8Array;
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
