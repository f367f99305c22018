/**
 * CIFAR-10 / CIFAR-100 binary batches (Krizhevsky 2009, "binary version").
 *
 * Each record: CIFAR-10 = 1 label byte + 3072 pixel bytes; CIFAR-100 = 1 coarse-label byte +
 * 1 fine-label byte + 3072 pixel bytes. The pixels are channel-planar: 1024 red, then 1024 green,
 * then 1024 blue, each 32×32 row-major. We store HWC, so
 *   out[(y·32 + x)·3 + c] = record[labelBytes + c·1024 + y·32 + x].
 */
import { basename } from 'node:path';
import { formatCount } from './dataset-content';

export const cifarSide = 32;
export const cifarPixelBytes = cifarSide * cifarSide * 3;

export type CifarVariant = 'cifar-10' | 'cifar-100';

export function cifarLabelBytes(variant: CifarVariant): number {
  return variant === 'cifar-10' ? 1 : 2;
}

export interface CifarRecords {
  count: number;
  /** count·32·32·3 bytes, HWC. */
  pixels: Uint8Array;
  /** CIFAR-10: the label; CIFAR-100: the fine label. */
  fineLabels: Uint8Array;
  /** CIFAR-100 only (empty for CIFAR-10). */
  coarseLabels: Uint8Array;
}

/**
 * Throws unless `size` bytes are a whole number of records (checked on the file's size before
 * it is read, and again on its bytes); returns the record count.
 */
export function checkCifarSize(size: number, path: string, variant: CifarVariant): number {
  const name = basename(path);
  const recordBytes = cifarLabelBytes(variant) + cifarPixelBytes;
  if (size === 0) throw new Error(`${name} is empty`);
  const count = Math.floor(size / recordBytes);
  const over = size - count * recordBytes;
  if (over !== 0) {
    throw new Error(
      `${name} is truncated or not a ${variant} batch: ${formatCount(size)} bytes is not a whole number of ${formatCount(recordBytes)}-byte records (${formatCount(count)} record${count === 1 ? '' : 's'} and ${formatCount(over)} bytes over)`,
    );
  }
  return count;
}

/** Parses one batch file's bytes; `path` names it in error messages. */
export function parseCifarBatch(
  bytes: Uint8Array,
  path: string,
  variant: CifarVariant,
): CifarRecords {
  const count = checkCifarSize(bytes.length, path, variant);
  const labelBytes = cifarLabelBytes(variant);
  const recordBytes = labelBytes + cifarPixelBytes;
  const plane = cifarSide * cifarSide;
  const pixels = new Uint8Array(count * cifarPixelBytes);
  const fineLabels = new Uint8Array(count);
  const coarseLabels = new Uint8Array(variant === 'cifar-100' ? count : 0);
  for (let n = 0; n < count; n += 1) {
    const record = n * recordBytes;
    if (variant === 'cifar-100') {
      coarseLabels[n] = bytes[record] ?? 0;
      fineLabels[n] = bytes[record + 1] ?? 0;
    } else {
      fineLabels[n] = bytes[record] ?? 0;
    }
    const from = record + labelBytes;
    const to = n * cifarPixelBytes;
    for (let p = 0; p < plane; p += 1) {
      pixels[to + p * 3] = bytes[from + p] ?? 0;
      pixels[to + p * 3 + 1] = bytes[from + plane + p] ?? 0;
      pixels[to + p * 3 + 2] = bytes[from + 2 * plane + p] ?? 0;
    }
  }
  return { count, pixels, fineLabels, coarseLabels };
}

/** Class names from a names file (one per line, blank lines ignored). */
export function parseNamesFile(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}
