/**
 * Issue 12 §11 and §13: an import refuses, before reading a file's body, what its size cannot
 * be (a header announcing a billion images over a few bytes, a file past the import limit, a
 * device or pipe that would be read forever), stops unpacking a gzip at the first byte past what
 * its header announces, and refuses labels that would make empty classes and empty splits.
 * Large files here are sparse (truncate), so they take no disk and are never read.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCifarDataset } from '../../../../src-main/core/datasets/cifar-dataset';
import { findCifarFiles } from '../../../../src-main/core/datasets/cifar-folder';
import type { IdxFiles } from '../../../../src-main/core/datasets/idx-folder';
import { loadIdxDataset } from '../../../../src-main/core/datasets/idx-dataset';
import { loadImageFolderDataset } from '../../../../src-main/core/datasets/image-folder-dataset';
import { quietContext } from '../../../../src-main/core/datasets/task-context';
import {
  cifarBytes,
  idxImagesBytes,
  idxLabelsBytes,
  temporaryFolder,
  writeFile,
  writeImage,
} from './dataset-fixtures';

const numbered = { kind: 'numbered' } as const;

function header(values: number[]): Buffer {
  const buffer = Buffer.alloc(values.length * 4);
  values.forEach((value, i) => buffer.writeUInt32BE(value, i * 4));
  return buffer;
}

/** Train files: `images` as given, and labels that fit 3 images. */
function idxFiles(images: string, labels = [0, 1, 2]): IdxFiles {
  const folder = temporaryFolder();
  return {
    trainImages: images,
    trainLabels: writeFile(join(folder, 'train-labels-idx1-ubyte'), idxLabelsBytes(labels)),
    testImages: null,
    testLabels: null,
  };
}

async function idxProblems(files: IdxFiles): Promise<string> {
  const failure: unknown = await loadIdxDataset(files, numbered, quietContext()).catch(
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(Error);
  return (failure as Error).message;
}

describe('import size limits', () => {
  it('refuses /dev/zero and a FIFO by their kind, without opening them', async () => {
    if (existsSync('/dev/zero')) {
      expect(await idxProblems(idxFiles('/dev/zero'))).toMatch(
        /\/dev\/zero is a device, not a regular file/,
      );
    }
    const fifo = join(temporaryFolder(), 'train-images-idx3-ubyte');
    execFileSync('mkfifo', [fifo]);
    // Opening a FIFO with no writer blocks forever: a refusal proves it was never opened.
    expect(await idxProblems(idxFiles(fifo))).toMatch(/is a pipe \(FIFO\), not a regular file/);
  }, 10_000);

  it('refuses an IDX file larger than an import may hold, naming the sizes in MB', async () => {
    // A sparse 3 GiB file whose header agrees with its size: 3·1024 images of 1024×1024.
    const path = join(temporaryFolder(), 'train-images-idx3-ubyte');
    writeFileSync(path, header([0x803, 3 * 1024, 1024, 1024]));
    truncateSync(path, 16 + 3 * 1024 ** 3);
    expect(await idxProblems(idxFiles(path))).toMatch(
      /train-images-idx3-ubyte is 3,072\.0 MB: an import holds at most [\d,.]+ MB/,
    );
  });

  it('refuses a header announcing a billion images before reading the body', async () => {
    // A sparse 2.5 GiB file: the header is checked against the size before anything else.
    const path = join(temporaryFolder(), 'train-images-idx3-ubyte');
    writeFileSync(path, header([0x803, 1e9, 28, 28]));
    truncateSync(path, 2.5 * 1024 ** 3);
    expect(await idxProblems(idxFiles(path))).toMatch(
      /is truncated: its header announces 1,000,000,000 images of 28×28 \(784,000,000,000 bytes\) but only 2,684,354,544 bytes follow/,
    );
  });

  it('stops unpacking a gzip at the first byte past its header’s size', async () => {
    // 3 images of 4×3 announced, 50 MB of zeros after them (a 50 KB gzip).
    const bomb = Buffer.concat([idxImagesBytes(3, 4, 3), Buffer.alloc(50 * 1024 * 1024)]);
    const path = writeFile(join(temporaryFolder(), 'train-images-idx3-ubyte'), bomb, true);
    expect(await idxProblems(idxFiles(path))).toMatch(
      /is longer than its header says: 3 images of 4×3 take 36 bytes but more than [\d,]+ follow \(unpacking was stopped there\)/,
    );
  });

  it('refuses a gzip whose header announces more than an import may hold', async () => {
    const head = header([0x803, 1e9, 28, 28]);
    const path = writeFile(join(temporaryFolder(), 'train-images-idx3-ubyte'), head, true);
    expect(await idxProblems(idxFiles(path))).toMatch(
      /header announces 747,680\.7 MB once unpacked: an import holds at most/,
    );
  });

  it('refuses a CIFAR batch past the limit by its size, and one of partial records', async () => {
    const folder = temporaryFolder();
    const batch = join(folder, 'data_batch_1.bin');
    writeFileSync(batch, cifarBytes([[0]]));
    truncateSync(batch, 3073 * 1024 * 1024);
    const files = findCifarFiles(folder, 'cifar-10', 'fine');
    await expect(
      loadCifarDataset(files, 'cifar-10', 'fine', numbered, quietContext()),
    ).rejects.toThrow(/data_batch_1\.bin is 3,073\.0 MB: an import holds at most/);
    truncateSync(batch, 3073 * 16 + 7);
    await expect(
      loadCifarDataset(files, 'cifar-10', 'fine', numbered, quietContext()),
    ).rejects.toThrow(
      /is not a whole number of 3,073-byte records \(16 records and 7 bytes over\)/,
    );
  });

  it('refuses an image file past the per-file cap and an image past the pixel cap', async () => {
    const folder = temporaryFolder();
    await writeImage(join(folder, 'cat', 'a.png'), 4, 4, [10, 20, 30]);
    await writeImage(join(folder, 'dog', 'b.png'), 4, 4, [10, 20, 30]);
    const huge = join(folder, 'dog', 'huge.png');
    writeFileSync(huge, Buffer.alloc(16));
    truncateSync(huge, 400 * 1024 * 1024);
    const source = {
      format: 'image-folder' as const,
      folder,
      size: null,
      fit: 'cover' as const,
      color: 'rgb' as const,
      testFraction: 0,
      seed: 0,
    };
    await expect(loadImageFolderDataset(source, quietContext())).rejects.toThrow(
      /dog\/huge\.png is 400\.0 MB: image files of up to 143\.1 MB are read/,
    );
    // A 107-byte PNG that claims 10,000×10,000 grey pixels (one tiny IDAT chunk): a pixel bomb.
    const png = Buffer.from(
      '89504e470d0a1a0a0000000d49484452000027100000271008000000009f253dfb0000000c49444154789c6360a03d00000064000186643c350000000049454e44ae426082',
      'hex',
    );
    writeFileSync(huge, png);
    await expect(loadImageFolderDataset(source, quietContext())).rejects.toThrow(
      /dog\/huge\.png cannot be read as an image: it has more than 50 megapixels/,
    );
  });
});

describe('IDX labels and splits (issue 12 §13)', () => {
  it('refuses a label that would make empty numbered classes, naming file and range', async () => {
    const folder = temporaryFolder();
    const images = writeFile(join(folder, 'train-images-idx3-ubyte'), idxImagesBytes(12, 2, 2));
    const labels = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 200, 3];
    expect(await idxProblems(idxFiles(images, labels))).toBe(
      'label 200 at record 10 of train-labels-idx1-ubyte is out of range: numbered classes need an image each, labels 0–9 have images, and 190 classes below 200 (the first: 10) would have none; give class names to keep these labels',
    );
  });

  it('refuses an IDX set with no training images, and one with no test images', async () => {
    const folder = temporaryFolder();
    const empty = writeFile(join(folder, 'train-images-idx3-ubyte'), idxImagesBytes(0, 2, 2));
    expect(await idxProblems(idxFiles(empty, []))).toBe(
      'train-images-idx3-ubyte holds no images: the train split needs at least one',
    );
    const train = writeFile(join(folder, 'full-images'), idxImagesBytes(3, 2, 2));
    const files = {
      ...idxFiles(train),
      testImages: writeFile(join(folder, 't10k-images-idx3-ubyte'), idxImagesBytes(0, 2, 2)),
      testLabels: writeFile(join(folder, 't10k-labels-idx1-ubyte'), idxLabelsBytes([])),
    };
    expect(await idxProblems(files)).toBe(
      't10k-images-idx3-ubyte holds no images: the test split needs at least one',
    );
  });
});
