import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readMaybeGzip } from '../../../../src-main/core/datasets/compressed-file';
import { parseIdxImages, parseIdxLabels } from '../../../../src-main/core/datasets/idx-reader';
import { idxImagesBytes, idxLabelsBytes, pixelValue, temporaryFolder } from './dataset-fixtures';

describe('IDX reader', () => {
  it('reads images and labels with big-endian sizes', () => {
    const images = parseIdxImages(idxImagesBytes(5, 4, 3), 'x-images');
    expect(images).toMatchObject({ count: 5, rows: 4, columns: 3 });
    expect(images.pixels.length).toBe(60);
    expect(images.pixels[12 * 2 + 7]).toBe(pixelValue(2, 7));
    expect(Array.from(parseIdxLabels(idxLabelsBytes([3, 1, 4]), 'x-labels'))).toEqual([3, 1, 4]);
  });

  it('unpacks .gz files recognized by their first bytes, and plain files as they are', async () => {
    const folder = temporaryFolder();
    const bytes = idxLabelsBytes([1, 2, 3]);
    writeFileSync(join(folder, 'labels-no-extension'), gzipSync(bytes));
    writeFileSync(join(folder, 'plain'), bytes);
    expect(Buffer.from(await readMaybeGzip(join(folder, 'labels-no-extension')))).toEqual(bytes);
    expect(Buffer.from(await readMaybeGzip(join(folder, 'plain')))).toEqual(bytes);
  });

  it('names a truncated .gz file', async () => {
    const folder = temporaryFolder();
    const packed = gzipSync(idxImagesBytes(50, 8, 8));
    writeFileSync(join(folder, 'cut.gz'), packed.subarray(0, packed.length - 100));
    await expect(readMaybeGzip(join(folder, 'cut.gz'))).rejects.toThrow(
      /cut\.gz could not be decompressed \(a truncated or damaged \.gz file\)/,
    );
    await expect(readMaybeGzip(join(folder, 'missing'))).rejects.toThrow(/missing does not exist/);
  });

  it('refuses a wrong magic number, saying what the file looks like', () => {
    expect(() => parseIdxImages(idxLabelsBytes([1, 2]), '/d/train-labels')).toThrow(
      'train-labels is not an IDX images file: its magic number is 0x00000801 (that of an IDX labels file), expected 0x00000803',
    );
    expect(() => parseIdxLabels(Buffer.from([1, 2, 3, 4, 0, 0, 0, 0]), 'junk')).toThrow(
      'junk is not an IDX labels file: its magic number is 0x01020304, expected 0x00000801',
    );
  });

  it('refuses truncated files and files longer than their header says', () => {
    const full = idxImagesBytes(10, 4, 4);
    expect(() => parseIdxImages(full.subarray(0, full.length - 5), 'cut')).toThrow(
      'cut is truncated: its header announces 10 images of 4×4 (160 bytes) but only 155 bytes follow',
    );
    expect(() => parseIdxImages(full.subarray(0, 10), 'head')).toThrow(
      'head is truncated: 10 bytes, shorter than its 16-byte header',
    );
    expect(() =>
      parseIdxLabels(Buffer.concat([idxLabelsBytes([1, 2]), Buffer.from([9])]), 'long'),
    ).toThrow('long is longer than its header says: 2 labels take 2 bytes but 3 follow');
    expect(() => parseIdxLabels(Buffer.from([0, 0]), 'tiny')).toThrow('tiny is truncated');
  });
});
