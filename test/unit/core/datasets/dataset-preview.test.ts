import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { methods } from '../../../../src-main/common/contract';
import { DatasetImportSource } from '../../../../src-main/common/dataset-io-schemas';
import { previewImport } from '../../../../src-main/core/datasets/dataset-preview';
import {
  cifarBytes,
  idxLabelsBytes,
  temporaryFolder,
  writeFile,
  writeIdxFolder,
} from './dataset-fixtures';

describe('import preview', () => {
  it('shows counts per split and class, the shape and a couple of samples per class', async () => {
    const folder = temporaryFolder();
    writeIdxFolder(folder, { train: 30, test: 10, rows: 3, columns: 2 });
    const preview = await previewImport(
      DatasetImportSource.parse({ format: 'idx-folder', folder, classNames: { kind: 'numbered' } }),
    );
    expect(preview.ok).toBe(true);
    expect(preview.imageShape).toEqual([3, 2, 1]);
    expect(preview.counts).toEqual({ train: new Array(10).fill(3), test: new Array(10).fill(1) });
    expect(preview.samples).toHaveLength(20);
    expect(preview.samples.slice(0, 10).map((s) => s.label)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    expect(Buffer.from(preview.samples[0]?.pixels ?? '', 'base64')).toHaveLength(6);
    expect(preview.files).toHaveLength(4);
  });

  it('lists problems instead of throwing', async () => {
    const folder = temporaryFolder();
    writeIdxFolder(folder, { train: 5, test: 0 });
    writeFile(join(folder, 'train-labels-idx1-ubyte'), idxLabelsBytes([1, 2, 3]));
    const preview = await previewImport(
      DatasetImportSource.parse({ format: 'idx-folder', folder, classNames: { kind: 'numbered' } }),
    );
    expect(preview).toMatchObject({
      ok: false,
      problems: [
        'train-images-idx3-ubyte holds 5 images but train-labels-idx1-ubyte holds 3 labels',
      ],
      imageShape: null,
      samples: [],
    });
    const cifar = temporaryFolder();
    writeFile(join(cifar, 'data_batch_1.bin'), cifarBytes([[1]]).subarray(0, 100));
    const cut = await previewImport(
      DatasetImportSource.parse({
        format: 'cifar-10',
        folder: cifar,
        classNames: { kind: 'numbered' },
      }),
    );
    expect(cut.problems[0]).toMatch(/^data_batch_1\.bin is truncated or not a cifar-10 batch/);
  });

  it('parses every source kind through the contract, with defaults and clear refusals', () => {
    const input = methods['datasets.previewImport'].input;
    expect(
      input.parse({ format: 'cifar-100', folder: '/c', classNames: { kind: 'numbered' } }),
    ).toMatchObject({ labelKind: 'fine' });
    expect(
      input.parse({ format: 'image-folder', folder: '/f', size: null, color: 'rgb' }),
    ).toMatchObject({ fit: 'cover', testFraction: 0.2, seed: 0 });
    const refused = input.safeParse({
      format: 'image-folder',
      folder: '/f',
      size: null,
      color: 'rgb',
      testFraction: 1.5,
    });
    expect(refused.success).toBe(false);
    expect(JSON.stringify(refused.error?.issues)).toContain(
      'the test fraction must be between 0 and 0.9',
    );
    expect(
      input.safeParse({ format: 'idx-folder', folder: '', classNames: { kind: 'numbered' } })
        .success,
    ).toBe(false);
  });
});
