/**
 * Provenance through the real experiments (engine worker out/main/engine-worker.js, built by
 * `npm run build`), at tiny settings: D_rand, D_det, D_R and D_NR are built on the bundled MNIST,
 * exported as .npy, and every exported row's source index and original label are checked against
 * the source dataset: the original label is the source's label at that index, D_rand / D_det
 * images lie within the attack's ε of that source image and carry the target as their label,
 * D_R / D_NR images keep the source's label; the grid the result shows names the same sources.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetExportRequest } from '../../../src-main/common/dataset-io-schemas';
import {
  NonRobustFeaturesConfig,
  RobustDatasetsConfig,
  type ConstructedExample,
} from '../../../src-main/common/experiment-schemas';
import { DatasetService } from '../../../src-main/core/dataset-service';
import { splitIndices } from '../../../src-main/core/datasets/dataset-reading';
import { npyValues, parseNpy } from '../../../src-main/core/datasets/npy-reader';
import { quietContext } from '../../../src-main/core/datasets/task-context';
import type { Workbench } from '../../../src-main/core/workbench';
import type { DatasetRecord } from '../../../src-main/db/repositories/dataset-repository';
import { temporaryFolder } from './datasets/dataset-fixtures';
import { workerWorkbench, type WorkerWorkbench } from './worker-workbench';

const training = {
  architecture: 'small-cnn',
  epochs: 1,
  batchSize: 32,
  learningRate: 0.002,
  optimizer: 'adam',
} as const;
const count = 32;
const epsilon = 2;

interface Constructed {
  name: string;
  datasetId: number;
  examples: ConstructedExample[];
}

interface ExportedRows {
  images: number[];
  labels: number[];
  sourceIndices: number[];
  originalLabels: number[];
}

describe('provenance of datasets built by the experiments', () => {
  let workbench: Workbench;
  let end: WorkerWorkbench['end'];
  let original: DatasetRecord;
  let service: DatasetService;
  const constructed: Constructed[] = [];
  const out = temporaryFolder('rfw-provenance-');

  async function completed(started: { jobId: string; runId: number }) {
    const { state, error } = await end(started);
    expect({ state, error }).toEqual({ state: 'completed', error: null });
    return (await workbench.handlers['runs.experimentResult']({ runId: started.runId })).result;
  }

  async function exportNpy(datasetId: number, folder: string, withOriginalTest = false) {
    await service.exportDataset(
      DatasetExportRequest.parse({ datasetId, format: 'npy', folder, withOriginalTest }),
      quietContext(),
    );
    const read = (name: string) => npyValues(parseNpy(readFileSync(join(folder, name))));
    return (split: string): ExportedRows => ({
      images: read(`${split}_images.npy`),
      labels: read(`${split}_labels.npy`),
      sourceIndices: read(`${split}_source_indices.npy`),
      originalLabels: read(`${split}_original_labels.npy`),
    });
  }

  beforeAll(async () => {
    const setup = workerWorkbench(1, 'rfw-provenance-');
    ({ workbench, end } = setup);
    const models = [await setup.trainTinyModel(1, 256), await setup.trainTinyModel(2, 256)];
    const store = workbench.projects.requireCurrent();
    original = store.datasets.get(setup.datasetId);
    service = new DatasetService(workbench.projects, () => {});

    const b = await completed(
      await workbench.handlers['jobs.startExperiment'](
        NonRobustFeaturesConfig.parse({
          type: 'non-robust-features',
          name: 'b',
          datasetId: original.id,
          sourceModelId: models[0],
          variants: ['random', 'deterministic'],
          trainLimit: count,
          attack: { epsilon, steps: 5, stepSize: 0.5 },
          training,
          seed: 4,
        }),
      ),
    );
    if (b.type !== 'non-robust-features') throw new Error('wrong result type');
    for (const variant of b.variants) {
      const name = variant.variant === 'random' ? 'D_rand' : 'D_det';
      constructed.push({ name, datasetId: variant.datasetId, examples: variant.examples });
    }

    const c = await completed(
      await workbench.handlers['jobs.startExperiment'](
        RobustDatasetsConfig.parse({
          type: 'robust-datasets',
          name: 'c',
          datasetId: original.id,
          robustModelId: models[0],
          standardModelId: models[1],
          variants: ['robust', 'standard'],
          trainLimit: count,
          inversion: { steps: 3, stepSize: 0.1, start: 'image' },
          training,
          evaluation: { constraint: 'linf', epsilon: 0.1, steps: 2, count: 16 },
          seed: 4,
        }),
      ),
    );
    if (c.type !== 'robust-datasets') throw new Error('wrong result type');
    for (const row of c.rows) {
      if (row.datasetId === null) continue;
      const name = row.dataset === 'robust' ? 'D_R' : 'D_NR';
      const examples = c.examples.find((e) => e.variant === row.dataset)?.items ?? [];
      constructed.push({ name, datasetId: row.datasetId, examples });
    }
  }, 300_000);

  afterAll(async () => {
    await workbench.dispose();
  });

  it('builds the four constructed datasets', () => {
    expect(constructed.map((c) => c.name)).toEqual(['D_rand', 'D_det', 'D_R', 'D_NR']);
  });

  it('exports per row the source image’s index and label, matching the source dataset', async () => {
    const trainSplit = new Set(splitIndices(original, 'train'));
    const [height, width, channels] = original.imageShape;
    const size = height * width * channels;
    for (const { name, datasetId, examples } of constructed) {
      const rows = (await exportNpy(datasetId, join(out, name)))('train');
      expect({ name, rows: rows.labels.length }).toEqual({ name, rows: count });
      // Distinct training images of the source, each named by its index there.
      expect(new Set(rows.sourceIndices).size).toBe(count);
      let relabelled = 0;
      for (let n = 0; n < count; n += 1) {
        const source = rows.sourceIndices[n] ?? -1;
        const label = rows.labels[n] ?? -1;
        expect(trainSplit.has(source)).toBe(true);
        expect(rows.originalLabels[n]).toBe(original.labels[source]);
        if (label !== rows.originalLabels[n]) relabelled += 1;
        if (name === 'D_det') expect(label).toBe(((original.labels[source] ?? 0) + 1) % 10);
        if (name === 'D_rand' || name === 'D_det') {
          // x̂ = targeted L2 PGD from the source image: within ε of it (plus float rounding).
          const pixels = workbench.projects
            .requireCurrent()
            .datasets.readImages(original, [source]);
          let squared = 0;
          for (let p = 0; p < size; p += 1) {
            squared += ((rows.images[n * size + p] ?? 0) - (pixels[p] ?? 0) / 255) ** 2;
          }
          expect(Math.sqrt(squared)).toBeLessThanOrEqual(epsilon + 1e-4);
        }
      }
      // D_rand and D_det carry new labels (the targets), D_R and D_NR keep the source's.
      if (name === 'D_rand') expect(relabelled).toBeGreaterThan(count / 2);
      if (name === 'D_det') expect(relabelled).toBe(count);
      if (name === 'D_R' || name === 'D_NR') expect(relabelled).toBe(0);
      // The result's image grid shows the first rows, naming the same source images.
      expect(examples.length).toBe(12);
      examples.forEach((example, n) => {
        expect(example.index).toBe(rows.sourceIndices[n]);
        expect(example.originalLabel).toBe(rows.originalLabels[n]);
        expect(example.newLabel).toBe(rows.labels[n]);
      });
    }
  });

  it('adds the original test images only when asked, as themselves', async () => {
    const det = constructed.find((c) => c.name === 'D_det');
    if (!det) throw new Error('no D_det');
    const rows = await exportNpy(det.datasetId, join(out, 'with-test'), true);
    const test = rows('test');
    const testIndices = splitIndices(original, 'test');
    expect(test.sourceIndices).toEqual(testIndices);
    expect(test.originalLabels).toEqual(testIndices.map((index) => original.labels[index]));
    expect(test.labels).toEqual(test.originalLabels);
    expect(rows('train').labels.length).toBe(count);
  });

  it('shows an image’s source in the dataset view, and none for an imported image', async () => {
    const store = workbench.projects.requireCurrent();
    for (const { datasetId } of constructed) {
      const provenance = store.datasets.provenance(datasetId);
      const image = await workbench.handlers['datasets.image']({ datasetId, index: 5 });
      expect(image.source).toEqual({
        datasetId: original.id,
        datasetName: original.name,
        index: provenance?.sourceIndices[5],
        label: original.labels[provenance?.sourceIndices[5] ?? -1],
      });
    }
    const imported = await workbench.handlers['datasets.image']({
      datasetId: original.id,
      index: 5,
    });
    expect(imported.source).toBeNull();
  });
});
