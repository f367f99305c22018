/**
 * The synthetic robust/non-robust features as an import source: previewed and imported like a
 * file format, stored as float32 (the faint pattern survives to the last bit), split at the end.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatasetImportRequest } from '../../../../src-main/common/dataset-io-schemas';
import { DatasetService } from '../../../../src-main/core/dataset-service';
import { quietContext } from '../../../../src-main/core/datasets/task-context';
import { ProjectService } from '../../../../src-main/core/project-service';
import { RecentProjects } from '../../../../src-main/core/recent-projects';
import { generateSyntheticFeatures } from '../../../../src-main/engine/data/synthetic-features';
import { temporaryFolder } from './dataset-fixtures';

const options = {
  count: 60,
  numClasses: 3,
  height: 12,
  width: 12,
  channels: 3 as const,
  robust: { correlation: 0.9, contrast: 0.5 },
  nonRobust: { correlation: 1, amplitude: 4 / 255 },
  seed: 7,
};
const request = (patch: Record<string, unknown> = {}) =>
  DatasetImportRequest.parse({
    name: 'features',
    source: { format: 'synthetic-features', ...options, testFraction: 0.25, ...patch },
  });

let projects: ProjectService;
let service: DatasetService;

beforeEach(() => {
  const home = temporaryFolder('rfw-synthetic-');
  projects = new ProjectService(home, new RecentProjects(join(home, 'recent.json')), () => {});
  projects.create(join(home, 'p.rfw'), 'P');
  service = new DatasetService(projects, () => {});
});
afterEach(() => projects.close());

describe('synthetic features import', () => {
  it('previews counts, samples and the feature norms without writing', async () => {
    const preview = await service.preview(request().source);
    expect(preview.ok).toBe(true);
    expect(preview.imageShape).toEqual([12, 12, 3]);
    expect(preview.counts.train.reduce((a, b) => a + b, 0)).toBe(45);
    expect(preview.counts.test.reduce((a, b) => a + b, 0)).toBe(15);
    expect(preview.notes.join(' ')).toMatch(/pattern norms: L∞ 0\.0157/);
    expect(projects.requireCurrent().datasets.list()).toEqual([]);
  });

  it('imports the generator output bit for bit as float32', async () => {
    const imported = await service.importDataset(request(), quietContext());
    const store = projects.requireCurrent();
    const dataset = store.datasets.get(imported.datasetId ?? 0);
    expect(dataset.dtype).toBe('float32');
    expect(dataset.split).toMatchObject({ train: 45, test: 15 });
    expect(dataset.splits[44]).toBe(0);
    expect(dataset.splits[45]).toBe(1);
    const expected = generateSyntheticFeatures(options);
    const stored = store.datasets.readImages(
      dataset,
      Array.from({ length: 60 }, (_, i) => i),
    );
    expect(stored).toEqual(expected.images.data);
    expect(Array.from(dataset.labels)).toEqual(Array.from(expected.labels));
    expect(dataset.source).toMatch(/faint pattern with p = 1/);
  });

  it('refuses bad settings with a message and writes nothing', () => {
    expect(() => request({ numClasses: 11 })).toThrow(/classes must be at most 10/);
    expect(() => request({ nonRobust: { correlation: 1, amplitude: 0.5 } })).toThrow(
      /amplitude must lie in \[0, 0.25\]/,
    );
    expect(projects.requireCurrent().datasets.list()).toEqual([]);
  });
});
