/**
 * The real Fashion-MNIST files (Debian's dataset-fashion-mnist, installed by .ci/run) imported
 * into a project end to end: 60,000 train + 10,000 test images of 28×28×1 in 10 classes.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetImportRequest } from '../../../../src-main/common/dataset-io-schemas';
import { DatasetService } from '../../../../src-main/core/dataset-service';
import { fashionMnistClassNames } from '../../../../src-main/core/datasets/class-names';
import { quietContext } from '../../../../src-main/core/datasets/task-context';
import { ProjectService } from '../../../../src-main/core/project-service';
import { RecentProjects } from '../../../../src-main/core/recent-projects';
import { temporaryFolder } from './dataset-fixtures';

const folder = '/usr/share/datasets/fashion-mnist';
const present = existsSync(join(folder, 'train-images-idx3-ubyte.gz'));
if (!present)
  console.log(
    `Fashion-MNIST import test skipped: ${folder} is missing (apt-get install dataset-fashion-mnist)`,
  );

describe('Fashion-MNIST import', () => {
  it.skipIf(!present)(
    'stores 60,000 train and 10,000 test images of 28×28×1 in 10 classes',
    async () => {
      const home = temporaryFolder();
      const projects = new ProjectService(
        home,
        new RecentProjects(join(home, 'recent.json')),
        () => {},
      );
      projects.create(join(home, 'fashion.rfw'), 'Fashion');
      const service = new DatasetService(projects, () => {});
      const started = Date.now();
      const result = await service.importDataset(
        DatasetImportRequest.parse({
          name: 'Fashion-MNIST',
          source: { format: 'idx-folder', folder, classNames: { kind: 'fashion-mnist' } },
        }),
        quietContext(),
      );
      const seconds = (Date.now() - started) / 1000;
      console.log(`Fashion-MNIST import: ${seconds.toFixed(2)} s`);
      const dataset = projects.requireCurrent().datasets.get(result.datasetId ?? 0);
      expect(dataset.count).toBe(70_000);
      expect(dataset.imageShape).toEqual([28, 28, 1]);
      expect(dataset.dtype).toBe('uint8');
      expect(dataset.classNames).toEqual(fashionMnistClassNames);
      expect(dataset.split).toMatchObject({ train: 60_000, test: 10_000 });
      const perClass = (mark: number) => {
        const counts = new Array<number>(10).fill(0);
        dataset.labels.forEach((label, i) => {
          if (dataset.splits[i] === mark) counts[label] = (counts[label] ?? 0) + 1;
        });
        return counts;
      };
      // Fashion-MNIST is balanced: 6,000 train and 1,000 test images per class.
      expect(perClass(0)).toEqual(new Array(10).fill(6000));
      expect(perClass(1)).toEqual(new Array(10).fill(1000));
      // Real images: the first train image (an ankle boot) has dark background and bright pixels.
      expect(dataset.labels[0]).toBe(9);
      const first = projects.requireCurrent().datasets.readImages(dataset, [0]);
      expect(Math.max(...first)).toBeGreaterThan(200);
      expect(first.filter((v) => v === 0).length).toBeGreaterThan(300);
      projects.close();
    },
  );
});
