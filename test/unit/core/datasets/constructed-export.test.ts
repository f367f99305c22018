/**
 * Provenance of constructed datasets, without the engine: storeConstructedDataset records, per
 * image, the source dataset's index and label; .npy and PNG exports write them and leave the
 * original test images out unless asked; bad provenance and bad requests change nothing; a
 * project whose constructed datasets predate provenance opens, and says it is unknown.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatasetExportRequest } from '../../../../src-main/common/dataset-io-schemas';
import { DatasetService } from '../../../../src-main/core/dataset-service';
import { splitIndices } from '../../../../src-main/core/datasets/dataset-reading';
import { npyValues, parseNpy } from '../../../../src-main/core/datasets/npy-reader';
import { quietContext } from '../../../../src-main/core/datasets/task-context';
import { storeConstructedDataset } from '../../../../src-main/core/experiments/store-experiment-outputs';
import { ProjectService } from '../../../../src-main/core/project-service';
import { RecentProjects } from '../../../../src-main/core/recent-projects';
import { migrations } from '../../../../src-main/db/migrations';
import { projectApplicationId } from '../../../../src-main/db/project-database';
import { CliArguments } from '../../../../src-main/shells/cli/cli-arguments';
import { datasetExportRequest } from '../../../../src-main/shells/cli/commands/export-command';
import type { ProjectStore } from '../../../../src-main/db/project-store';
import type { ConstructedDatasetOutput } from '../../../../src-main/engine/protocol';
import { temporaryFolder } from './dataset-fixtures';

let home: string;
let projects: ProjectService;
let service: DatasetService;

beforeEach(() => {
  home = temporaryFolder();
  projects = new ProjectService(home, new RecentProjects(join(home, 'recent.json')), () => {});
  projects.create(join(home, 'p.rfw'), 'P');
  service = new DatasetService(projects, () => {});
});
afterEach(() => projects.close());

/**
 * A 12-image uint8 source, 3 classes, image n all of value 10·n, label n mod 3; images 2, 5, 9
 * and 11 are the test split.
 */
function insertSource(store: ProjectStore): number {
  const splits = new Uint8Array(12);
  for (const n of [2, 5, 9, 11]) splits[n] = 1;
  return store.datasets.insert({
    name: 'source',
    imageShape: [2, 2, 1],
    classNames: ['a', 'b', 'c'],
    source: 'test',
    split: { method: 'test', seed: 0, train: 8, test: 4 },
    pixels: Uint8Array.from({ length: 48 }, (_, i) => 10 * Math.floor(i / 4)),
    labels: Int32Array.from({ length: 12 }, (_, n) => n % 3),
    splits,
  });
}

/** Three images made from training images 4, 0 and 6 (positions in the training split), relabelled. */
function engineOutput(sourceIndices = [4, 0, 6]): ConstructedDatasetOutput {
  return {
    key: 'deterministic-dataset',
    images: Float32Array.from({ length: 12 }, (_, i) => i / 12),
    labels: Int32Array.from([2, 0, 1]),
    sourceIndices: Int32Array.from(sourceIndices),
    description: 'D_det: test',
  };
}

function storeConstructed(): { sourceId: number; id: number } {
  const store = projects.requireCurrent();
  const sourceId = insertSource(store);
  const id = storeConstructedDataset(
    store,
    store.datasets.get(sourceId),
    engineOutput(),
    'D_det',
    3,
  );
  return { sourceId, id };
}

function exportRequest(datasetId: number, folder: string, more: object = {}) {
  return DatasetExportRequest.parse({ datasetId, format: 'npy', folder, ...more });
}

const read = (folder: string, name: string) => parseNpy(readFileSync(join(folder, name)));

describe('constructed dataset provenance', () => {
  it('records each image’s position and label in the source dataset', () => {
    const { sourceId, id } = storeConstructed();
    const store = projects.requireCurrent();
    const source = store.datasets.get(sourceId);
    // Training positions 4, 0, 6 are dataset images 6, 0, 8 (2 and 5 are test images).
    expect(splitIndices(source, 'train')).toEqual([0, 1, 3, 4, 6, 7, 8, 10]);
    const provenance = store.datasets.provenance(id);
    expect(provenance).toMatchObject({ sourceDatasetId: sourceId, sourceDatasetName: 'source' });
    // Then the four test images, copied: their own indices and labels.
    expect(Array.from(provenance?.sourceIndices ?? [])).toEqual([6, 0, 8, 2, 5, 9, 11]);
    expect(Array.from(provenance?.originalLabels ?? [])).toEqual([0, 0, 2, 2, 2, 0, 2]);
    expect(store.datasets.provenance(sourceId)).toBeNull();
  });

  it('stores nothing when the engine names a training image that does not exist', () => {
    const store = projects.requireCurrent();
    const source = store.datasets.get(insertSource(store));
    expect(() =>
      storeConstructedDataset(store, source, engineOutput([4, 8, 0]), 'D_det', 3),
    ).toThrow('deterministic-dataset: image 1 names training image 8, but "source" has 8');
    expect(store.datasets.list().map((d) => d.name)).toEqual(['source']);
  });

  it('refuses provenance of the wrong length or with a negative index, writing nothing', () => {
    const store = projects.requireCurrent();
    const dataset = {
      name: 'bad',
      imageShape: [1, 1, 1] as [number, number, number],
      classNames: ['a'],
      source: 'test',
      split: { method: 'constructed', seed: 0, train: 2, test: 0 },
      pixels: new Float32Array(2),
      labels: new Int32Array(2),
      splits: new Uint8Array(2),
    };
    const provenance = { sourceDatasetId: 1, sourceDatasetName: 'source' };
    expect(() =>
      store.datasets.insert({
        ...dataset,
        provenance: {
          ...provenance,
          sourceIndices: Int32Array.from([1]),
          originalLabels: Int32Array.from([0]),
        },
      }),
    ).toThrow('dataset "bad": 2 images but 1 source indices and 1 original labels');
    expect(() =>
      store.datasets.insert({
        ...dataset,
        provenance: {
          ...provenance,
          sourceIndices: Int32Array.from([1, -1]),
          originalLabels: Int32Array.from([0, 0]),
        },
      }),
    ).toThrow('dataset "bad": image 1 has source index -1, not a position in "source"');
    expect(store.datasets.list()).toEqual([]);
    const rows = store.db.prepare('SELECT COUNT(*) AS n FROM dataset_provenance').get();
    expect(rows).toEqual({ n: 0 });
  });

  it('is deleted with its dataset', () => {
    const { id } = storeConstructed();
    projects.requireCurrent().datasets.delete(id);
    const rows = projects.requireCurrent().db.prepare('SELECT * FROM dataset_provenance').all();
    expect(rows).toEqual([]);
  });
});

describe('exporting a constructed dataset', () => {
  it('.npy: the constructed training set alone, with source indices and original labels', async () => {
    const { sourceId, id } = storeConstructed();
    const out = join(home, 'npy');
    const result = await service.exportDataset(exportRequest(id, out), quietContext());
    expect(result.summary).toMatch(/^exported 3 images as \.npy arrays/);
    expect(result.notes).toEqual([
      'only the 3 constructed training images were exported; the 4 original test images of "source" that the dataset keeps were left out (ask for the original test images to add them)',
    ]);
    const meta = JSON.parse(readFileSync(join(out, 'dataset.json'), 'utf8')) as {
      files: string[];
      splits: string[];
      provenance: { sourceDataset: { id: number; name: string } };
    };
    expect(meta.files).toEqual([
      'train_images.npy',
      'train_labels.npy',
      'train_indices.npy',
      'train_source_indices.npy',
      'train_original_labels.npy',
    ]);
    expect(existsSync(join(out, 'test_images.npy'))).toBe(false);
    expect(meta.splits).toEqual(['train']);
    expect(meta.provenance.sourceDataset).toEqual({ id: sourceId, name: 'source' });
    expect(read(out, 'train_images.npy')).toMatchObject({ dtype: 'float32', shape: [3, 2, 2, 1] });
    expect(npyValues(read(out, 'train_labels.npy'))).toEqual([2, 0, 1]);
    const sourceIndices = read(out, 'train_source_indices.npy');
    expect(sourceIndices).toMatchObject({ dtype: 'int64', shape: [3] });
    expect(npyValues(sourceIndices)).toEqual([6, 0, 8]);
    const originalLabels = read(out, 'train_original_labels.npy');
    expect(originalLabels).toMatchObject({ dtype: 'int64', shape: [3] });
    expect(npyValues(originalLabels)).toEqual([0, 0, 2]);
  });

  it('.npy with the original test images: a test split of originals, marked so', async () => {
    const { id } = storeConstructed();
    const out = join(home, 'npy-test');
    const result = await service.exportDataset(
      exportRequest(id, out, { withOriginalTest: true, labelDtype: 'int32' }),
      quietContext(),
    );
    expect(result.notes).toEqual([
      'the test split holds the 4 original test images of "source", unchanged: not constructed',
    ]);
    expect(read(out, 'test_images.npy').shape).toEqual([4, 2, 2, 1]);
    // Source image 5 is all 50: copied as 50/255.
    expect(npyValues(read(out, 'test_images.npy')).slice(4, 8)).toEqual(
      new Array<number>(4).fill(Math.fround(50 / 255)),
    );
    expect(npyValues(read(out, 'test_source_indices.npy'))).toEqual([2, 5, 9, 11]);
    const originalLabels = read(out, 'test_original_labels.npy');
    expect(originalLabels.dtype).toBe('int32');
    expect(npyValues(originalLabels)).toEqual(npyValues(read(out, 'test_labels.npy')));
    const meta = JSON.parse(readFileSync(join(out, 'dataset.json'), 'utf8')) as object;
    expect(meta).toMatchObject({ splits: ['train', 'test'], notes: result.notes });
  });

  it('PNG: the training images and provenance.csv, one line per file', async () => {
    const { id } = storeConstructed();
    const out = join(home, 'png');
    const result = await service.exportDataset(
      DatasetExportRequest.parse({ datasetId: id, format: 'png', folder: out }),
      quietContext(),
    );
    expect(result.files).toBe(5);
    expect(existsSync(join(out, 'test'))).toBe(false);
    expect(readFileSync(join(out, 'provenance.csv'), 'utf8')).toBe(
      [
        'file,split,label,source_index,original_label',
        'train/c/0.png,train,2,6,0',
        'train/a/1.png,train,0,0,0',
        'train/b/2.png,train,1,8,2',
        '',
      ].join('\n'),
    );
  });

  it('asks for the original test images with rfw export --with-original-test', () => {
    const request = (...argv: string[]) =>
      DatasetExportRequest.parse(
        datasetExportRequest(new CliArguments(['--dataset', '3', '--to', '/d', ...argv])),
      );
    expect(request().withOriginalTest).toBe(false);
    expect(request('--with-original-test').withOriginalTest).toBe(true);
  });

  it('refuses original test images of a dataset that was not constructed, before writing', () => {
    const store = projects.requireCurrent();
    const sourceId = insertSource(store);
    const out = join(home, 'refused');
    expect(() =>
      service.startExport(exportRequest(sourceId, out, { withOriginalTest: true })),
    ).toThrow(
      'dataset "source" was not constructed by an experiment: its test split is its own and is always exported, so there are no original test images to add',
    );
    expect(existsSync(out)).toBe(false);
  });
});

describe('a project whose constructed dataset predates provenance', () => {
  /**
   * A project file at the schema just before provenance, written by that schema's SQL alone,
   * holding a constructed dataset as the workbench stored one then: 3 constructed float32
   * images (train) and 1 original test image.
   */
  function projectBeforeProvenance(): string {
    const path = join(home, 'old.rfw');
    const before = migrations.findIndex((m) => m.sql.includes('CREATE TABLE dataset_provenance'));
    expect(before).toBeGreaterThan(0);
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma(`application_id = ${projectApplicationId}`);
    for (const migration of migrations.slice(0, before)) db.exec(migration.sql);
    db.pragma(`user_version = ${before}`);
    const blob = (values: Int32Array | Float32Array | Uint8Array) =>
      Buffer.from(values.buffer, values.byteOffset, values.byteLength);
    db.prepare("INSERT INTO project_meta VALUES ('name', 'old')").run();
    db.prepare(
      `INSERT INTO datasets VALUES (1, 'D_det', 2, 2, 1, 4, 'float32', '["a","b","c"]',
         '{"method":"constructed","seed":3,"train":3,"test":1}', 'D_det: old', ?, ?, 't')`,
    ).run(blob(Int32Array.from([2, 0, 1, 1])), blob(Uint8Array.from([0, 0, 0, 1])));
    db.prepare('INSERT INTO dataset_chunks VALUES (1, 0, 0, 4, ?)').run(
      blob(Float32Array.from({ length: 16 }, (_, i) => i / 16)),
    );
    db.close();
    return path;
  }

  it('opens, shows the provenance as unknown and exports without inventing it', async () => {
    projects.close();
    projects.open(projectBeforeProvenance());
    const store = projects.requireCurrent();
    expect(store.db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(store.datasets.provenance(1)).toBeNull();
    expect(store.datasets.get(1).split.method).toBe('constructed');
    const out = join(home, 'old-npy');
    const result = await service.exportDataset(exportRequest(1, out), quietContext());
    expect(result.notes).toEqual([
      'only the 3 constructed training images were exported; the 1 original test image of the source dataset that the dataset keeps was left out (ask for the original test images to add them)',
      'this dataset was constructed before the workbench recorded provenance: the source index and original label of its images are unknown, so none were written',
    ]);
    expect(npyValues(read(out, 'train_labels.npy'))).toEqual([2, 0, 1]);
    expect(existsSync(join(out, 'train_source_indices.npy'))).toBe(false);
    const meta = JSON.parse(readFileSync(join(out, 'dataset.json'), 'utf8')) as object;
    expect(meta).toMatchObject({ provenance: null, splits: ['train'] });
  });
});
