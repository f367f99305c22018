/**
 * An image-folder import: scan the folders, plan the split, decode every file (a few at a time,
 * off the event loop in libvips' threads) into one N·H·W·C byte array in the stored order.
 * Every unreadable file and every size mismatch is reported (the first few by name).
 */
import type { z } from 'zod';
import type { ImageFolderSource } from '../../common/dataset-io-schemas';
import { DatasetImportError, formatCount, type DatasetContent } from './dataset-content';
import { decodeImage, shortName, type DecodeOptions } from './image-decoder';
import { scanImageFolder } from './image-folder-scan';
import { checkImportBytes } from './import-file';
import { planSplit } from './image-folder-split';
import { checkpoint, type TaskContext } from './task-context';

export type ImageFolderOptions = z.output<typeof ImageFolderSource>;

/** Files decoded at once: enough to keep libvips' default 4 threads busy. */
const parallel = 8;
/** Problems named one by one; the rest are counted. */
const namedProblems = 10;

export function decodeOptions(source: ImageFolderOptions): DecodeOptions {
  return { size: source.size, fit: source.fit, color: source.color };
}

export async function loadImageFolderDataset(
  source: ImageFolderOptions,
  context: TaskContext,
): Promise<DatasetContent> {
  context.report(0, 'listing files');
  const scan = scanImageFolder(source.folder);
  const plan = planSplit(scan.images, scan.classNames.length, source.testFraction, source.seed);
  const options = decodeOptions(source);
  const count = plan.order.length;
  let shape: [number, number, number] | null = source.size
    ? [source.size.height, source.size.width, source.color === 'grayscale' ? 1 : 3]
    : null;
  // Refused before decoding when the size is chosen, else once the first image gives it.
  const checkFits = ([height, width, channels]: [number, number, number]): void => {
    try {
      checkImportBytes(
        count * height * width * channels,
        `${formatCount(count)} images of ${width}×${height}×${channels}`,
      );
    } catch (error) {
      throw new DatasetImportError([(error as Error).message]);
    }
  };
  if (shape) checkFits(shape);
  let firstName = '';
  let pixels: Uint8Array | null = null;
  const problems: string[] = [];
  let unnamed = 0;
  const problem = (message: string): void => {
    if (problems.length < namedProblems) problems.push(message);
    else unnamed += 1;
  };
  for (let start = 0; start < count; start += parallel) {
    const positions = Array.from(
      { length: Math.min(parallel, count - start) },
      (_, k) => start + k,
    );
    const decoded = await Promise.allSettled(
      positions.map((position) =>
        decodeImage(scan.images[plan.order[position] ?? 0]?.path ?? '', options),
      ),
    );
    decoded.forEach((outcome, k) => {
      const position = positions[k] ?? 0;
      const path = scan.images[plan.order[position] ?? 0]?.path ?? '';
      if (outcome.status === 'rejected') {
        problem((outcome.reason as Error).message);
        return;
      }
      const image = outcome.value;
      if (!shape) {
        shape = [image.height, image.width, image.channels];
        checkFits(shape);
        firstName = shortName(path);
      }
      const [height, width] = shape;
      if (image.height !== height || image.width !== width) {
        problem(
          `images differ in size and no resize was chosen: ${firstName} is ${width}×${height} but ${shortName(path)} is ${image.width}×${image.height}; choose a size to resize them to`,
        );
        return;
      }
      pixels ??= new Uint8Array(count * image.data.length);
      pixels.set(image.data, position * image.data.length);
    });
    context.report(
      (start + positions.length) / count,
      `decoding images: ${formatCount(start + positions.length)} of ${formatCount(count)}`,
    );
    await checkpoint(context);
  }
  if (unnamed > 0) problems.push(`and ${formatCount(unnamed)} more problems like these`);
  if (problems.length > 0 || !shape || !pixels) throw new DatasetImportError(problems);
  const labels = Int32Array.from(plan.order, (index) => scan.images[index]?.label ?? -1);
  const train = plan.splits.reduce((sum, split) => sum + (split === 0 ? 1 : 0), 0);
  const resize = source.size
    ? `resized to ${source.size.width}×${source.size.height} (fit ${source.fit})`
    : 'at their own size';
  return {
    imageShape: shape,
    classNames: scan.classNames,
    source: `image folders ${source.folder} (${formatCount(count)} PNG/JPEG files, ${resize}, ${source.color})`,
    split: { method: plan.method, seed: source.seed, train, test: count - train },
    pixels,
    labels,
    splits: plan.splits,
    files: [source.folder],
    notes: scan.notes,
  };
}
