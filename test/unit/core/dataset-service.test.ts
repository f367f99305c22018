/**
 * Dataset import and export through the service the contract calls: the round trip
 * import → .npy export → read back, float32 datasets kept exact, progress and cancel events,
 * and that bad input or a cancel leaves the project as it was.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventName, EventPayload } from '../../../src-main/common/contract';
import {
  DatasetExportRequest,
  DatasetImportRequest,
} from '../../../src-main/common/dataset-io-schemas';
import { DatasetService } from '../../../src-main/core/dataset-service';
import { npyValues, parseNpy } from '../../../src-main/core/datasets/npy-reader';
import { quietContext } from '../../../src-main/core/datasets/task-context';
import { ProjectService } from '../../../src-main/core/project-service';
import { RecentProjects } from '../../../src-main/core/recent-projects';
import {
  cyclingLabels,
  pixelValue,
  temporaryFolder,
  writeIdxFolder,
} from './datasets/dataset-fixtures';

type Event = { [E in EventName]: { event: E; payload: EventPayload<E> } }[EventName];

let home: string;
let projects: ProjectService;
let service: DatasetService;
let events: Event[];

function idxRequest(folder: string, name = 'digits') {
  return DatasetImportRequest.parse({
    name,
    source: { format: 'idx-folder', folder, classNames: { kind: 'numbered' } },
  });
}

/** Resolves with the dataset.finished event of `taskId`. */
function finished(taskId: string): Promise<EventPayload<'dataset.finished'>> {
  return new Promise((resolve) => {
    const poll = setInterval(() => {
      const found = events.find(
        (e): e is Extract<Event, { event: 'dataset.finished' }> =>
          e.event === 'dataset.finished' && e.payload.taskId === taskId,
      );
      if (found) {
        clearInterval(poll);
        resolve(found.payload);
      }
    }, 5);
  });
}

beforeEach(() => {
  home = temporaryFolder('rfw-dataset-service-');
  projects = new ProjectService(home, new RecentProjects(join(home, 'recent.json')), () => {});
  projects.create(join(home, 'p.rfw'), 'P');
  events = [];
  service = new DatasetService(projects, (event, payload) =>
    events.push({ event, payload } as Event),
  );
});
afterEach(() => projects.close());

describe('dataset service', () => {
  it('round-trips IDX files: import, export .npy, read back equal', async () => {
    const source = join(home, 'idx');
    writeIdxFolder(source, { train: 25, test: 7, rows: 5, columns: 4, gzip: true });
    const imported = await service.importDataset(idxRequest(source), quietContext());
    expect(imported.summary).toBe('imported 32 images (25 train, 7 test) as "digits"');
    expect(events.at(-1)).toMatchObject({ event: 'project.changed' });

    const out = join(home, 'npy');
    const result = await service.exportDataset(
      DatasetExportRequest.parse({ datasetId: imported.datasetId, format: 'npy', folder: out }),
      quietContext(),
    );
    expect(result.files).toBe(7);
    const read = (name: string) => parseNpy(readFileSync(join(out, name)));
    const trainImages = read('train_images.npy');
    expect(trainImages).toMatchObject({ dtype: 'uint8', shape: [25, 5, 4, 1] });
    const testImages = read('test_images.npy');
    expect(testImages.shape).toEqual([7, 5, 4, 1]);
    for (let p = 0; p < 20; p += 1) {
      expect(trainImages.data[3 * 20 + p]).toBe(pixelValue(3, p));
      expect(testImages.data[2 * 20 + p]).toBe(pixelValue(1002, p));
    }
    const trainLabels = read('train_labels.npy');
    expect(trainLabels.dtype).toBe('int64');
    expect(npyValues(trainLabels)).toEqual(cyclingLabels(25));
    expect(npyValues(read('test_labels.npy'))).toEqual(cyclingLabels(7));
    expect(npyValues(read('test_indices.npy'))).toEqual([25, 26, 27, 28, 29, 30, 31]);
    const meta = JSON.parse(readFileSync(join(out, 'dataset.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(meta).toMatchObject({ name: 'digits', dtype: 'uint8', imageShape: [5, 4, 1] });
  });

  it('exports a float32 dataset exactly as .npy, and says PNG export quantized it', async () => {
    const store = projects.requireCurrent();
    const pixels = Float32Array.from({ length: 6 * 2 * 2 * 3 }, (_, i) => (i * 0.0123457) % 1);
    const id = store.datasets.insert({
      name: 'constructed',
      imageShape: [2, 2, 3],
      classNames: ['a', 'b/c'],
      source: 'test',
      split: { method: 'test', seed: 0, train: 4, test: 2 },
      pixels,
      labels: Int32Array.from([0, 1, 0, 1, 1, 0]),
      splits: Uint8Array.from([0, 0, 1, 0, 1, 0]),
    });
    const npy = join(home, 'float-npy');
    await service.exportDataset(
      DatasetExportRequest.parse({
        datasetId: id,
        format: 'npy',
        folder: npy,
        labelDtype: 'int32',
      }),
      quietContext(),
    );
    const train = parseNpy(readFileSync(join(npy, 'train_images.npy')));
    expect(train).toMatchObject({ dtype: 'float32', shape: [4, 2, 2, 3] });
    // Train images are dataset images 0, 1, 3, 5 in that order, bit for bit.
    const expected = [0, 1, 3, 5].flatMap((n) => Array.from(pixels.subarray(n * 12, n * 12 + 12)));
    expect(npyValues(train)).toEqual(expected);
    const labels = parseNpy(readFileSync(join(npy, 'test_labels.npy')));
    expect(labels.dtype).toBe('int32');
    expect(npyValues(labels)).toEqual([0, 1]);

    const png = join(home, 'float-png');
    const result = await service.exportDataset(
      DatasetExportRequest.parse({ datasetId: id, format: 'png', folder: png }),
      quietContext(),
    );
    expect(result.notes[0]).toMatch(/quantized to round\(clamp\(v, 0, 1\)·255\)/);
    expect(readdirSync(join(png, 'train')).sort()).toEqual(['a', 'b_c']);
    expect(readdirSync(join(png, 'test', 'a'))).toEqual(['2.png']);
    const { data, info } = await sharp(join(png, 'test', 'a', '2.png'))
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(info).toMatchObject({ width: 2, height: 2, channels: 3 });
    expect(Array.from(data)).toEqual(
      Array.from(pixels.subarray(24, 36), (v) => Math.round(v * 255)),
    );
    expect(readFileSync(join(png, 'classes.txt'), 'utf8')).toBe('a\nb_c\n');
  });

  it('runs an import as a task with progress events and one finished event', async () => {
    const source = join(home, 'idx');
    writeIdxFolder(source, { train: 40, test: 10 });
    const started = service.startImport(idxRequest(source));
    expect(service.busy).toBe(true);
    expect(() => service.startImport(idxRequest(source))).toThrow(
      'a dataset import is running: wait for it or cancel it before you start another',
    );
    const end = await finished(started.taskId);
    expect(end).toMatchObject({ kind: 'import', state: 'completed', error: null });
    expect(end.result?.datasetId).toBeGreaterThan(0);
    const progress = events.filter((e) => e.event === 'dataset.progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(service.busy).toBe(false);
    expect(projects.requireCurrent().datasets.list()).toHaveLength(1);
  });

  it('leaves the project as it was when an import is cancelled or its input is bad', async () => {
    const source = join(home, 'idx');
    writeIdxFolder(source, { train: 40, test: 10 });
    const cancelled = service.startImport(idxRequest(source));
    service.cancel(cancelled.taskId);
    expect(await finished(cancelled.taskId)).toMatchObject({ state: 'cancelled', result: null });

    const broken = join(home, 'broken');
    writeIdxFolder(broken, { train: 10, test: 0 });
    writeFileSync(join(broken, 'train-labels-idx1-ubyte'), Buffer.from([0, 0, 8, 1, 0, 0, 0, 9]));
    const failed = service.startImport(idxRequest(broken));
    const end = await finished(failed.taskId);
    expect(end.state).toBe('failed');
    expect(end.error).toContain('train-labels-idx1-ubyte is truncated');
    expect(projects.requireCurrent().datasets.list()).toHaveLength(0);
    expect(projects.summary()?.counts.datasets).toBe(0);
    expect(() => service.cancel('nope')).toThrow(
      'there is no running dataset import or export nope',
    );
  });

  it('refuses to export into a folder that is not empty, and cleans up a cancelled export', async () => {
    const source = join(home, 'idx');
    writeIdxFolder(source, { train: 30, test: 0 });
    const { datasetId } = await service.importDataset(idxRequest(source), quietContext());
    const full = join(home, 'full');
    mkdirSync(full);
    writeFileSync(join(full, 'keep.txt'), 'mine');
    expect(() =>
      service.startExport(DatasetExportRequest.parse({ datasetId, format: 'png', folder: full })),
    ).toThrow(`${full} is not empty: choose a new or empty folder for the export`);
    expect(readdirSync(full)).toEqual(['keep.txt']);

    const target = join(home, 'cancelled-export');
    const task = service.startExport(
      DatasetExportRequest.parse({ datasetId, format: 'png', folder: target }),
    );
    service.cancel(task.taskId);
    expect((await finished(task.taskId)).state).toBe('cancelled');
    expect(existsSync(target)).toBe(false);
  });

  it('deletes a dataset no model uses', async () => {
    const source = join(home, 'idx');
    writeIdxFolder(source, { train: 12, test: 0 });
    const { datasetId } = await service.importDataset(idxRequest(source), quietContext());
    service.delete(datasetId ?? 0);
    expect(projects.requireCurrent().datasets.list()).toHaveLength(0);
    expect(() => service.delete(datasetId ?? 0)).toThrow(`there is no dataset ${datasetId}`);
  });

  it('exports .npy files that numpy loads with the right dtypes and shapes', async (context) => {
    const probe = spawnSync('/usr/bin/python3', ['-c', 'import numpy'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      console.log('numpy check skipped: /usr/bin/python3 cannot import numpy');
      context.skip();
      return;
    }
    const source = join(home, 'idx');
    writeIdxFolder(source, { train: 9, test: 3, rows: 2, columns: 2 });
    const { datasetId } = await service.importDataset(idxRequest(source), quietContext());
    const out = join(home, 'npy');
    await service.exportDataset(
      DatasetExportRequest.parse({ datasetId, format: 'npy', folder: out }),
      quietContext(),
    );
    const script = [
      'import numpy as np, sys, json',
      'd = sys.argv[1]',
      'x = np.load(d + "/train_images.npy"); y = np.load(d + "/train_labels.npy")',
      'print(json.dumps([str(x.dtype), list(x.shape), int(x[4, 1, 0, 0]), str(y.dtype), y.tolist()]))',
    ].join('\n');
    const run = spawnSync('/usr/bin/python3', ['-c', script, out], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual([
      'uint8',
      [9, 2, 2, 1],
      pixelValue(4, 2),
      'int64',
      cyclingLabels(9),
    ]);
  });
});
