/**
 * Which splits a dataset export writes, and what it says about a constructed dataset's images.
 *
 * A constructed dataset (D_rand, D_det, D_R, D_NR: split.method 'constructed') holds the images
 * the experiment made as its training split and a copy of the source dataset's test images as
 * its test split, so that training on it and testing on real data is an ordinary run. Exported,
 * it is the constructed training set alone unless the original test images are asked for; then
 * they come as the test split, and the export says that they are originals.
 */
import type { DatasetProvenance, DatasetRecord } from '../../db/repositories/dataset-repository';
import { countOf } from './dataset-content';

export type ExportSplit = 'train' | 'test';

export interface ExportSelection {
  splits: ExportSplit[];
  /** Whether an experiment made the dataset. */
  constructed: boolean;
  /** Where each image came from; null when not constructed or stored before it was recorded. */
  provenance: DatasetProvenance | null;
  /** For the person who asked, and for dataset.json: what was left out, what is not constructed. */
  notes: string[];
}

export const splitMarks: Record<ExportSplit, number> = { train: 0, test: 1 };

/** Throws, changing nothing, when the original test images are asked of a dataset that has none. */
export function exportSelection(
  dataset: DatasetRecord,
  provenance: DatasetProvenance | null,
  withOriginalTest: boolean,
): ExportSelection {
  const constructed = dataset.split.method === 'constructed';
  if (!constructed) {
    if (withOriginalTest) {
      throw new Error(
        `dataset "${dataset.name}" was not constructed by an experiment: its test split is its own and is always exported, so there are no original test images to add`,
      );
    }
    return { splits: ['train', 'test'], constructed, provenance: null, notes: [] };
  }
  const tests = dataset.splits.reduce((n, mark) => n + (mark === splitMarks.test ? 1 : 0), 0);
  const from = provenance ? `"${provenance.sourceDatasetName}"` : 'the source dataset';
  const originals = countOf(tests, 'original test image');
  const notes = [
    withOriginalTest
      ? `the test split holds the ${originals} of ${from}, unchanged: not constructed`
      : `only the ${countOf(dataset.count - tests, 'constructed training image')} ${dataset.count - tests === 1 ? 'was' : 'were'} exported; the ${originals} of ${from} that the dataset keeps ${tests === 1 ? 'was' : 'were'} left out (ask for the original test images to add them)`,
  ];
  if (!provenance) {
    notes.push(
      'this dataset was constructed before the workbench recorded provenance: the source index and original label of its images are unknown, so none were written',
    );
  }
  return {
    splits: withOriginalTest ? ['train', 'test'] : ['train'],
    constructed,
    provenance,
    notes,
  };
}
