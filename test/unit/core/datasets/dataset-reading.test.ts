/**
 * Reading a stored dataset for a job: a split's indices, and a batch of images with their labels
 * in the order asked for.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { imageBatch, splitIndices } from '../../../../src-main/core/datasets/dataset-reading';
import { createProjectDatabase } from '../../../../src-main/db/project-database';
import { ProjectStore } from '../../../../src-main/db/project-store';
import type { DatasetRecord } from '../../../../src-main/db/repositories/dataset-repository';

describe('dataset reading', () => {
  let store: ProjectStore;
  let dataset: DatasetRecord;

  beforeEach(() => {
    const path = join(mkdtempSync(join(tmpdir(), 'rfw-reading-')), 'p.rfw');
    store = new ProjectStore(path, createProjectDatabase(path, 'P'));
    // Five 1×2×1 images; image i's pixels are 10·i and 10·i + 1, its label i mod 3.
    const id = store.datasets.insert({
      name: 'd',
      imageShape: [1, 2, 1],
      classNames: ['a', 'b', 'c'],
      source: 'test',
      split: { method: 'test', seed: 0, train: 2, test: 3 },
      pixels: Uint8Array.from({ length: 10 }, (_, k) => 10 * Math.floor(k / 2) + (k % 2)),
      labels: Int32Array.from({ length: 5 }, (_, i) => i % 3),
      splits: Uint8Array.from([1, 0, 1, 0, 1]),
    });
    dataset = store.datasets.get(id);
  });

  it("lists a split's indices in ascending order", () => {
    expect(splitIndices(dataset, 'train')).toEqual([1, 3]);
    expect(splitIndices(dataset, 'test')).toEqual([0, 2, 4]);
  });

  it('reads the images at the indices, in their order, with their labels', () => {
    const batch = imageBatch(store, dataset, [4, 0, 3]);
    expect(batch.images.shape).toEqual([3, 1, 2, 1]);
    expect(Array.from(batch.labels)).toEqual([1, 0, 0]);
    expect(Array.from(batch.images.data)).toEqual([40, 41, 0, 1, 30, 31]);
  });
});
