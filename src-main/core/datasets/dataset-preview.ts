/**
 * The preview of an import, made before anything is written: counts per split and class, image
 * shape, a few sample images exactly as they would be stored, and every problem found.
 *
 * IDX and CIFAR files are read whole (a few hundred MB at most, and parsing is what finds
 * truncation and bad labels). Image folders are only listed and their headers read (up to
 * `headerChecks` files, spread over the whole list); the samples are decoded.
 */
import type { DatasetImportPreview } from '../../common/dataset-io-schemas';
import { countPerClass, formatCount, problemsOf, type DatasetContent } from './dataset-content';
import { decodeImage, imageSize, shortName } from './image-decoder';
import type { ImageFolderOptions } from './image-folder-dataset';
import { decodeOptions } from './image-folder-dataset';
import { scanImageFolder } from './image-folder-scan';
import { planSplit } from './image-folder-split';
import { readDataset, type ImportSource } from './read-dataset';
import { quietContext } from './task-context';

/** Sample images per class, and in all. */
const samplesPerClass = 2;
const maxSamples = 20;
/** Image headers read by a folder preview (the import reads every file). */
export const headerChecks = 2000;

type Sample = DatasetImportPreview['samples'][number];

/** Sample pixels as bytes; float pixels (synthetic data) are rounded for the preview only. */
function base64(pixels: Uint8Array | Float32Array): string {
  const bytes =
    pixels instanceof Uint8Array
      ? pixels
      : Uint8Array.from(pixels, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Positions of the samples: round-robin over the classes, the first images of each. */
function samplePositions(labels: ArrayLike<number>, classCount: number): number[] {
  const firsts: number[][] = Array.from({ length: classCount }, () => []);
  for (let index = 0; index < labels.length; index += 1) {
    const list = firsts[labels[index] ?? -1];
    if (list && list.length < samplesPerClass) list.push(index);
  }
  const positions: number[] = [];
  for (let round = 0; round < samplesPerClass; round += 1) {
    for (const list of firsts) {
      const position = list[round];
      if (position !== undefined && positions.length < maxSamples) positions.push(position);
    }
  }
  return positions;
}

export function previewFromContent(content: DatasetContent): DatasetImportPreview {
  const [height, width, channels] = content.imageShape;
  const size = height * width * channels;
  const samples: Sample[] = samplePositions(content.labels, content.classNames.length).map(
    (position) => ({
      label: content.labels[position] ?? 0,
      split: content.splits[position] === 0 ? 'train' : 'test',
      pixels: base64(content.pixels.subarray(position * size, (position + 1) * size)),
    }),
  );
  return {
    ok: true,
    problems: [],
    notes: content.notes,
    files: content.files,
    imageShape: content.imageShape,
    classNames: content.classNames,
    counts: countPerClass(content.labels, content.splits, content.classNames.length),
    samples,
  };
}

function refused(problems: string[], files: string[] = []): DatasetImportPreview {
  return {
    ok: false,
    problems,
    notes: [],
    files,
    imageShape: null,
    classNames: [],
    counts: { train: [], test: [] },
    samples: [],
  };
}

async function previewImageFolder(source: ImageFolderOptions): Promise<DatasetImportPreview> {
  const scan = scanImageFolder(source.folder);
  const plan = planSplit(scan.images, scan.classNames.length, source.testFraction, source.seed);
  const problems: string[] = [];
  const notes = [...scan.notes];
  const total = scan.images.length;
  const step = Math.max(1, total / headerChecks);
  const checked: number[] = [];
  for (let k = 0; Math.floor(k * step) < total && checked.length < headerChecks; k += 1) {
    checked.push(Math.floor(k * step));
  }
  if (checked.length < total) {
    notes.push(
      `the preview read the headers of ${formatCount(checked.length)} of ${formatCount(total)} files; the import reads every file`,
    );
  }
  let first: { name: string; height: number; width: number } | null = null;
  let mismatches = 0;
  for (let start = 0; start < checked.length; start += 16) {
    const batch = checked.slice(start, start + 16);
    const sizes = await Promise.allSettled(
      batch.map((index) => imageSize(scan.images[index]?.path ?? '')),
    );
    sizes.forEach((outcome, k) => {
      const path = scan.images[batch[k] ?? 0]?.path ?? '';
      if (outcome.status === 'rejected') {
        if (problems.length < 10) problems.push((outcome.reason as Error).message);
        return;
      }
      const { height, width } = outcome.value;
      if (!first) first = { name: shortName(path), height, width };
      else if (!source.size && (height !== first.height || width !== first.width)) {
        mismatches += 1;
        if (mismatches <= 3) {
          problems.push(
            `images differ in size and no resize was chosen: ${first.name} is ${first.width}×${first.height} but ${shortName(path)} is ${width}×${height}; choose a size to resize them to`,
          );
        }
      }
    });
  }
  if (mismatches > 3)
    problems.push(`and ${formatCount(mismatches - 3)} more images of another size`);
  const channels = source.color === 'grayscale' ? 1 : 3;
  const firstSize = first as { height: number; width: number } | null;
  const imageShape: [number, number, number] | null = source.size
    ? [source.size.height, source.size.width, channels]
    : firstSize
      ? [firstSize.height, firstSize.width, channels]
      : null;

  const labels = Int32Array.from(plan.order, (index) => scan.images[index]?.label ?? -1);
  const samples: Sample[] = [];
  for (const position of samplePositions(labels, scan.classNames.length)) {
    const path = scan.images[plan.order[position] ?? 0]?.path ?? '';
    try {
      const image = await decodeImage(path, decodeOptions(source));
      const fits = imageShape && image.height === imageShape[0] && image.width === imageShape[1];
      if (fits) {
        samples.push({
          label: labels[position] ?? 0,
          split: plan.splits[position] === 0 ? 'train' : 'test',
          pixels: base64(image.data),
        });
      }
    } catch (error) {
      if (!problems.includes((error as Error).message)) problems.push((error as Error).message);
    }
  }
  return {
    ok: problems.length === 0,
    problems,
    notes,
    files: [source.folder],
    imageShape,
    classNames: scan.classNames,
    counts: countPerClass(labels, plan.splits, scan.classNames.length),
    samples,
  };
}

/** Never throws for bad input: every problem is in the preview's `problems`. */
export async function previewImport(source: ImportSource): Promise<DatasetImportPreview> {
  try {
    if (source.format === 'image-folder') return await previewImageFolder(source);
    return previewFromContent(await readDataset(source, quietContext()));
  } catch (error) {
    return refused(problemsOf(error));
  }
}
