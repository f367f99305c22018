import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createProjectDatabase } from '../../../../src-main/db/project-database';
import { ProjectStore } from '../../../../src-main/db/project-store';
import {
  chunkSize,
  type NewDataset,
} from '../../../../src-main/db/repositories/dataset-repository';

function dataset(count: number): NewDataset {
  return {
    name: 'd',
    imageShape: [2, 2, 1],
    classNames: ['a', 'b'],
    source: 'test',
    split: { method: 'test', seed: 0, train: count, test: 0 },
    pixels: new Uint8Array(count * 4).fill(7),
    labels: Int32Array.from({ length: count }, (_, i) => i % 2),
    splits: new Uint8Array(count),
  };
}

describe('dataset deletion', () => {
  let store: ProjectStore;
  beforeEach(() => {
    const path = join(mkdtempSync(join(tmpdir(), 'rfw-delete-')), 'p.rfw');
    store = new ProjectStore(path, createProjectDatabase(path, 'P'));
  });

  it('removes the dataset row and every pixel chunk', () => {
    const keep = store.datasets.insert(dataset(5));
    const id = store.datasets.insert(dataset(chunkSize + 3));
    store.datasets.delete(id);
    expect(store.datasets.list().map((d) => d.id)).toEqual([keep]);
    const chunks = store.db
      .prepare('SELECT dataset_id AS id, COUNT(*) AS n FROM dataset_chunks GROUP BY dataset_id')
      .all();
    expect(chunks).toEqual([{ id: keep, n: 1 }]);
  });

  it('refuses while a model was trained on it, and changes nothing', () => {
    const id = store.datasets.insert(dataset(4));
    store.models.insert({
      name: 'm',
      architecture: 'small-cnn',
      inputShape: [2, 2, 1],
      numClasses: 2,
      datasetId: id,
      trainingRunId: null,
      robust: false,
      parameterCount: 1,
      testAccuracy: null,
      weights: [{ name: 'w', shape: [1], data: Float32Array.from([1]) }],
    });
    expect(() => store.datasets.delete(id)).toThrow(
      'dataset "d" cannot be deleted: 1 model was trained on it',
    );
    expect(store.datasets.get(id).count).toBe(4);
  });
});
