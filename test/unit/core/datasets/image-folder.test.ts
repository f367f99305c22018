import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImageFolderSource } from '../../../../src-main/common/dataset-io-schemas';
import { previewImport } from '../../../../src-main/core/datasets/dataset-preview';
import { loadImageFolderDataset } from '../../../../src-main/core/datasets/image-folder-dataset';
import { scanImageFolder } from '../../../../src-main/core/datasets/image-folder-scan';
import { quietContext } from '../../../../src-main/core/datasets/task-context';
import { temporaryFolder, writeImage } from './dataset-fixtures';

const colours: Record<string, [number, number, number]> = {
  cat: [200, 30, 40],
  dog: [20, 180, 60],
  eel: [10, 20, 230],
};

/** Three classes of solid-colour 8×6 images: cat 10 PNGs, dog 10 JPEGs, eel 5 PNGs. */
async function writeClasses(root: string, sizes = { cat: 10, dog: 10, eel: 5 }): Promise<void> {
  for (const [name, count] of Object.entries(sizes)) {
    for (let i = 0; i < count; i += 1) {
      const extension = name === 'dog' ? 'jpg' : 'png';
      await writeImage(
        join(root, name, `${String(i).padStart(3, '0')}.${extension}`),
        8,
        6,
        colours[name] ?? [0, 0, 0],
      );
    }
  }
}

function source(folder: string, extra: Partial<Record<string, unknown>> = {}) {
  return ImageFolderSource.parse({
    format: 'image-folder',
    folder,
    size: null,
    color: 'rgb',
    testFraction: 0.2,
    seed: 7,
    ...extra,
  });
}

describe('image-folder import', () => {
  it('labels classes by sorted folder name and makes a seeded, stratified split', async () => {
    const folder = temporaryFolder();
    await writeClasses(folder);
    const content = await loadImageFolderDataset(source(folder), quietContext());
    expect(content.classNames).toEqual(['cat', 'dog', 'eel']);
    expect(content.imageShape).toEqual([6, 8, 3]);
    expect(content.labels.length).toBe(25);
    // round(0.2 · n) per class in test: 2 + 2 + 1.
    const testLabels = Array.from(content.labels).filter((_, i) => content.splits[i] === 1);
    expect(testLabels.sort()).toEqual([0, 0, 1, 1, 2]);
    expect(content.split).toMatchObject({ seed: 7, train: 20, test: 5 });
    // Train first, then test.
    expect(Array.from(content.splits)).toEqual([...new Array(20).fill(0), ...new Array(5).fill(1)]);
    // Pixels match the class colour (PNG exact, JPEG within a few levels).
    content.labels.forEach((label, i) => {
      const rgb = Array.from(content.pixels.subarray(i * 144, i * 144 + 3));
      const expected = colours[['cat', 'dog', 'eel'][label] ?? ''] ?? [0, 0, 0];
      rgb.forEach((value, c) =>
        expect(Math.abs(value - (expected[c] ?? 0))).toBeLessThanOrEqual(3),
      );
    });
    // The order mixes classes, and the same seed gives the same dataset.
    expect(new Set(content.labels.subarray(0, 8)).size).toBeGreaterThan(1);
    const again = await loadImageFolderDataset(source(folder), quietContext());
    expect(Array.from(again.labels)).toEqual(Array.from(content.labels));
    const other = await loadImageFolderDataset(source(folder, { seed: 8 }), quietContext());
    expect(Array.from(other.labels)).not.toEqual(Array.from(content.labels));
  });

  it('takes the split from train/ and test/ folders, resizes and converts to grayscale', async () => {
    const folder = temporaryFolder();
    await writeClasses(join(folder, 'train'), { cat: 3, dog: 2, eel: 2 });
    await writeClasses(join(folder, 'test'), { cat: 1, dog: 1, eel: 0 });
    await writeImage(join(folder, 'test', 'cat', 'wide.png'), 20, 6, colours.cat ?? [0, 0, 0]);
    const content = await loadImageFolderDataset(
      source(folder, { size: { height: 4, width: 5 }, fit: 'contain', color: 'grayscale' }),
      quietContext(),
    );
    expect(content.imageShape).toEqual([4, 5, 1]);
    expect(content.split).toMatchObject({ train: 7, test: 3 });
    expect(content.notes).toContain(
      `${join(folder, 'test')} has no folder for class eel: it has no images in that split`,
    );
    expect(content.pixels.length).toBe(10 * 20);
  });

  it('refuses images of mixed sizes when not resizing, naming two of them', async () => {
    const folder = temporaryFolder();
    await writeClasses(folder, { cat: 2, dog: 2, eel: 0 });
    await writeImage(join(folder, 'dog', 'big.png'), 16, 16, [1, 2, 3]);
    await expect(loadImageFolderDataset(source(folder), quietContext())).rejects.toThrow(
      /images differ in size and no resize was chosen: .* is 8×6 but dog\/big\.png is 16×16; choose a size to resize them to/,
    );
    const preview = await previewImport(source(folder));
    expect(preview.ok).toBe(false);
    expect(preview.problems.join('\n')).toMatch(/dog\/big\.png is 16×16/);
  });

  it('refuses an empty class folder and a single class', async () => {
    const folder = temporaryFolder();
    await writeClasses(folder, { cat: 2, dog: 2, eel: 0 });
    mkdirSync(join(folder, 'fox'));
    expect(() => scanImageFolder(folder)).toThrow(
      `class folder ${join(folder, 'fox')} holds no PNG or JPEG images`,
    );
    const single = temporaryFolder();
    await writeClasses(single, { cat: 2, dog: 0, eel: 0 });
    expect(() => scanImageFolder(single)).toThrow(/has only one class folder \(cat\)/);
    expect(() => scanImageFolder(temporaryFolder())).toThrow(/has no class folders/);
  });

  it('names an unreadable image in the preview and in the import', async () => {
    const folder = temporaryFolder();
    await writeClasses(folder, { cat: 2, dog: 2, eel: 0 });
    writeFileSync(join(folder, 'cat', 'broken.png'), Buffer.from('this is not a PNG file'));
    const preview = await previewImport(source(folder));
    expect(preview.ok).toBe(false);
    expect(preview.problems[0]).toMatch(/^cat\/broken\.png cannot be read as an image: /);
    await expect(loadImageFolderDataset(source(folder), quietContext())).rejects.toThrow(
      /cat\/broken\.png cannot be read as an image/,
    );
  });

  it('previews counts, shape and decoded samples without importing', async () => {
    const folder = temporaryFolder();
    await writeClasses(folder);
    writeFileSync(join(folder, 'cat', 'notes.txt'), 'not an image');
    const preview = await previewImport(source(folder));
    expect(preview.ok).toBe(true);
    expect(preview.imageShape).toEqual([6, 8, 3]);
    expect(preview.classNames).toEqual(['cat', 'dog', 'eel']);
    expect(preview.counts).toEqual({ train: [8, 8, 4], test: [2, 2, 1] });
    expect(preview.notes).toContain('1 file not PNG or JPEG skipped');
    expect(preview.samples).toHaveLength(6);
    const first = preview.samples[0];
    expect(first?.label).toBe(0);
    expect(Array.from(Buffer.from(first?.pixels ?? '', 'base64').subarray(0, 3))).toEqual([
      200, 30, 40,
    ]);
  });
});
