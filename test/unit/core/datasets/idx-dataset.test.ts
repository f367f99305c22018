import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fashionMnistClassNames } from '../../../../src-main/core/datasets/class-names';
import { findIdxFiles } from '../../../../src-main/core/datasets/idx-folder';
import { loadIdxDataset } from '../../../../src-main/core/datasets/idx-dataset';
import { quietContext } from '../../../../src-main/core/datasets/task-context';
import {
  idxImagesBytes,
  idxLabelsBytes,
  pixelValue,
  temporaryFolder,
  writeFile,
  writeIdxFolder,
} from './dataset-fixtures';

const numbered = { kind: 'numbered' } as const;

describe('IDX import', () => {
  it('finds the four standard files (gzipped) and puts train first, then test, in file order', async () => {
    const folder = temporaryFolder();
    writeIdxFolder(folder, { train: 30, test: 12, gzip: true });
    const files = findIdxFiles(folder);
    expect(files.trainImages).toBe(join(folder, 'train-images-idx3-ubyte.gz'));
    const content = await loadIdxDataset(files, numbered, quietContext());
    expect(content.imageShape).toEqual([4, 3, 1]);
    expect(content.labels.length).toBe(42);
    expect(content.split).toMatchObject({ train: 30, test: 12 });
    expect(Array.from(content.splits.subarray(28, 32))).toEqual([0, 0, 1, 1]);
    expect(content.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    // The first test image is the t10k file's first image (written with offset 1000).
    expect(content.pixels[30 * 12 + 5]).toBe(pixelValue(1000, 5));
    expect(content.pixels[29 * 12 + 5]).toBe(pixelValue(29, 5));
    expect(content.files).toHaveLength(4);
  });

  it('imports train files alone, with a note, and uses the Fashion-MNIST names when asked', async () => {
    const folder = temporaryFolder();
    writeIdxFolder(folder, { train: 20, test: 0 });
    const content = await loadIdxDataset(
      findIdxFiles(folder),
      { kind: 'fashion-mnist' },
      quietContext(),
    );
    expect(content.split).toMatchObject({ train: 20, test: 0 });
    expect(content.notes).toEqual(['no test files were given: every image is in the train split']);
    expect(content.classNames).toEqual(fashionMnistClassNames);
  });

  it('reports mismatched image and label counts', async () => {
    const folder = temporaryFolder();
    const files = {
      trainImages: writeFile(join(folder, 'a-images'), idxImagesBytes(10, 2, 2)),
      trainLabels: writeFile(join(folder, 'a-labels'), idxLabelsBytes([1, 2, 3])),
      testImages: null,
      testLabels: null,
    };
    await expect(loadIdxDataset(files, numbered, quietContext())).rejects.toThrow(
      'a-images holds 10 images but a-labels holds 3 labels',
    );
  });

  it('reports a label out of range of the chosen class names', async () => {
    const folder = temporaryFolder();
    const files = {
      trainImages: writeFile(join(folder, 'images'), idxImagesBytes(4, 2, 2)),
      trainLabels: writeFile(join(folder, 'labels'), idxLabelsBytes([0, 1, 12, 2])),
      testImages: null,
      testLabels: null,
    };
    await expect(
      loadIdxDataset(files, { kind: 'custom', names: ['a', 'b', 'c'] }, quietContext()),
    ).rejects.toThrow(
      'label 12 at record 2 of labels is out of range: there are 3 classes (labels 0–2); 1 label out of range in all',
    );
    // Numbered classes do not stretch to the largest label: 9 of 13 would have no image.
    await expect(loadIdxDataset(files, numbered, quietContext())).rejects.toThrow(
      'label 12 at record 2 of labels is out of range: numbered classes need an image each, labels 0–2 have images, and 9 classes below 12 (the first: 3) would have none',
    );
  });

  it('reports every broken file at once: wrong magic in one, truncation in another', async () => {
    const folder = temporaryFolder();
    const images = idxImagesBytes(6, 2, 2);
    const files = {
      trainImages: writeFile(join(folder, 'train-images'), idxLabelsBytes([1, 2])),
      trainLabels: writeFile(join(folder, 'train-labels'), idxLabelsBytes([1, 2])),
      testImages: writeFile(join(folder, 'test-images'), images.subarray(0, images.length - 1)),
      testLabels: writeFile(join(folder, 'test-labels'), idxLabelsBytes([1, 2, 3, 4, 5, 6])),
    };
    const failure = await loadIdxDataset(files, numbered, quietContext()).catch((e: unknown) => e);
    expect((failure as { problems: string[] }).problems).toEqual([
      'train-images is not an IDX images file: its magic number is 0x00000801 (that of an IDX labels file), expected 0x00000803',
      'test-images is truncated: its header announces 6 images of 2×2 (24 bytes) but only 23 bytes follow',
    ]);
  });

  it('refuses train and test images of different sizes', async () => {
    const folder = temporaryFolder();
    const files = {
      trainImages: writeFile(join(folder, 'ti'), idxImagesBytes(2, 2, 2)),
      trainLabels: writeFile(join(folder, 'tl'), idxLabelsBytes([0, 1])),
      testImages: writeFile(join(folder, 'vi'), idxImagesBytes(2, 3, 3)),
      testLabels: writeFile(join(folder, 'vl'), idxLabelsBytes([0, 1])),
    };
    await expect(loadIdxDataset(files, numbered, quietContext())).rejects.toThrow(
      'train images are 2×2 but test images are 3×3',
    );
  });

  it('names what is missing from a folder', () => {
    const folder = temporaryFolder();
    writeIdxFolder(folder, { train: 2, test: 0 });
    writeFile(join(folder, 't10k-images-idx3-ubyte'), idxImagesBytes(2, 4, 3));
    expect(() => findIdxFiles(folder)).toThrow(
      `${folder} has t10k images but no t10k-labels-idx1-ubyte[.gz]`,
    );
    expect(() => findIdxFiles(temporaryFolder())).toThrow(/has no train-images-idx3-ubyte\[\.gz\]/);
    expect(() => findIdxFiles(join(folder, 'nope'))).toThrow(/nope does not exist/);
  });
});
