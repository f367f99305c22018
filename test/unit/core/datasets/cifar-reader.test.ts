import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCifarFiles } from '../../../../src-main/core/datasets/cifar-folder';
import { loadCifarDataset } from '../../../../src-main/core/datasets/cifar-dataset';
import { parseCifarBatch } from '../../../../src-main/core/datasets/cifar-reader';
import { cifar10ClassNames } from '../../../../src-main/core/datasets/class-names';
import { quietContext } from '../../../../src-main/core/datasets/task-context';
import { cifarBytes, pixelValue, temporaryFolder, writeFile } from './dataset-fixtures';

const numbered = { kind: 'numbered' } as const;

/** CIFAR-10 folder: `batches` training batches of `perBatch` records, a test batch, names. */
function writeCifar10(folder: string, perBatch: number, batches = 2, meta = true): void {
  for (let b = 0; b < batches; b += 1) {
    const labels = Array.from({ length: perBatch }, (_, k) => [(b * perBatch + k) % 10]);
    writeFile(join(folder, `data_batch_${b + 1}.bin`), cifarBytes(labels, b * perBatch));
  }
  const testLabels = Array.from({ length: perBatch }, (_, k) => [(k + 3) % 10]);
  writeFile(join(folder, 'test_batch.bin'), cifarBytes(testLabels, 500));
  if (meta) writeFileSync(join(folder, 'batches.meta.txt'), `${cifar10ClassNames.join('\n')}\n\n`);
}

describe('CIFAR reader', () => {
  it('turns channel-planar records into HWC bytes', () => {
    const records = parseCifarBatch(cifarBytes([[7], [2]]), 'b.bin', 'cifar-10');
    expect(records.count).toBe(2);
    expect(Array.from(records.fineLabels)).toEqual([7, 2]);
    // Image 1, pixel (y=3, x=5) = plane position 101: R, G, B = v, v+1, v+2.
    const p = 3 * 32 + 5;
    const v = pixelValue(1, p);
    expect(Array.from(records.pixels.subarray(3072 + p * 3, 3072 + p * 3 + 3))).toEqual([
      v % 256,
      (v + 1) % 256,
      (v + 2) % 256,
    ]);
  });

  it('reads both CIFAR-100 label bytes', () => {
    const records = parseCifarBatch(
      cifarBytes([
        [3, 71],
        [19, 4],
      ]),
      'train.bin',
      'cifar-100',
    );
    expect(Array.from(records.coarseLabels)).toEqual([3, 19]);
    expect(Array.from(records.fineLabels)).toEqual([71, 4]);
  });

  it('refuses a truncated batch, naming its size in records', () => {
    const bytes = cifarBytes([[1], [2], [3]]);
    expect(() =>
      parseCifarBatch(bytes.subarray(0, bytes.length - 10), 'data_batch_1.bin', 'cifar-10'),
    ).toThrow(
      'data_batch_1.bin is truncated or not a cifar-10 batch: 9,209 bytes is not a whole number of 3,073-byte records (2 records and 3,063 bytes over)',
    );
    expect(() => parseCifarBatch(new Uint8Array(0), 'empty.bin', 'cifar-10')).toThrow(
      'empty.bin is empty',
    );
  });
});

describe('CIFAR import', () => {
  it('imports CIFAR-10 batches in order, test last, with the names from batches.meta.txt', async () => {
    const folder = temporaryFolder();
    writeCifar10(join(folder, 'cifar-10-batches-bin'), 6);
    const files = findCifarFiles(folder, 'cifar-10', 'fine');
    expect(files.train.map((path) => path.slice(-16))).toEqual([
      'data_batch_1.bin',
      'data_batch_2.bin',
    ]);
    const content = await loadCifarDataset(files, 'cifar-10', 'fine', numbered, quietContext());
    expect(content.imageShape).toEqual([32, 32, 3]);
    expect(content.classNames).toEqual(cifar10ClassNames);
    expect(content.split).toMatchObject({ train: 12, test: 6 });
    expect(Array.from(content.labels)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 3, 4, 5, 6, 7, 8,
    ]);
    // Image 7 is the second batch's second record (written as image 7).
    expect(content.pixels[7 * 3072 + 10 * 3 + 2]).toBe((pixelValue(7, 10) + 2) % 256);
    expect(content.pixels[12 * 3072]).toBe(pixelValue(500, 0));
  });

  it('numbers the classes without a names file, and takes custom names', async () => {
    const folder = temporaryFolder();
    writeCifar10(folder, 3, 1, false);
    const files = findCifarFiles(folder, 'cifar-10', 'fine');
    const content = await loadCifarDataset(files, 'cifar-10', 'fine', numbered, quietContext());
    expect(content.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const names = Array.from({ length: 10 }, (_, i) => `class ${i}`);
    const custom = await loadCifarDataset(
      files,
      'cifar-10',
      'fine',
      { kind: 'custom', names },
      quietContext(),
    );
    expect(custom.classNames).toEqual(names);
  });

  it('imports CIFAR-100 with fine or coarse labels and their names files', async () => {
    const folder = temporaryFolder();
    writeFile(
      join(folder, 'train.bin'),
      cifarBytes([
        [1, 55],
        [19, 99],
        [0, 0],
      ]),
    );
    writeFile(join(folder, 'test.bin'), cifarBytes([[2, 7]]));
    const fine = Array.from({ length: 100 }, (_, i) => `fine-${i}`);
    const coarse = Array.from({ length: 20 }, (_, i) => `coarse-${i}`);
    writeFileSync(join(folder, 'fine_label_names.txt'), fine.join('\n'));
    writeFileSync(join(folder, 'coarse_label_names.txt'), coarse.join('\n'));
    const fineContent = await loadCifarDataset(
      findCifarFiles(folder, 'cifar-100', 'fine'),
      'cifar-100',
      'fine',
      numbered,
      quietContext(),
    );
    expect(Array.from(fineContent.labels)).toEqual([55, 99, 0, 7]);
    expect(fineContent.classNames).toEqual(fine);
    const coarseContent = await loadCifarDataset(
      findCifarFiles(folder, 'cifar-100', 'coarse'),
      'cifar-100',
      'coarse',
      numbered,
      quietContext(),
    );
    expect(Array.from(coarseContent.labels)).toEqual([1, 19, 0, 2]);
    expect(coarseContent.classNames).toEqual(coarse);
  });

  it('reports labels out of range and every broken batch', async () => {
    const folder = temporaryFolder();
    writeFile(join(folder, 'data_batch_1.bin'), cifarBytes([[1], [10], [12]]));
    const cut = cifarBytes([[1], [2]]);
    writeFile(join(folder, 'data_batch_2.bin'), cut.subarray(0, 4000));
    const failure = await loadCifarDataset(
      findCifarFiles(folder, 'cifar-10', 'fine'),
      'cifar-10',
      'fine',
      numbered,
      quietContext(),
    ).catch((error: unknown) => error);
    expect((failure as { problems: string[] }).problems).toEqual([
      'label 10 at record 1 of data_batch_1.bin is out of range: there are 10 classes (labels 0–9); 2 labels out of range in all',
      'data_batch_2.bin is truncated or not a cifar-10 batch: 4,000 bytes is not a whole number of 3,073-byte records (1 record and 927 bytes over)',
    ]);
  });

  it('names a folder without batches', () => {
    const folder = temporaryFolder();
    expect(() => findCifarFiles(folder, 'cifar-10', 'fine')).toThrow(
      `${folder} has no CIFAR-10 training batches (data_batch_1.bin …)`,
    );
    expect(() => findCifarFiles(folder, 'cifar-100', 'fine')).toThrow(
      `${folder} has no CIFAR-100 train.bin`,
    );
  });
});
