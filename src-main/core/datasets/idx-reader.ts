/**
 * MNIST-format IDX files (LeCun et al.; also Fashion-MNIST, KMNIST, EMNIST), plain or gzipped.
 *
 * Layout, all sizes big-endian uint32:
 *   magic = 0x00 0x00 <type> <ndims>; type 0x08 = unsigned byte
 *   images: magic 0x00000803, then N, rows, cols, then N·rows·cols bytes (row-major)
 *   labels: magic 0x00000801, then N, then N bytes
 */
import { basename } from 'node:path';
import type { HeaderSize } from './compressed-file';
import { formatCount } from './dataset-content';

export const idxImagesMagic = 0x00000803;
export const idxLabelsMagic = 0x00000801;

export interface IdxImages {
  count: number;
  rows: number;
  columns: number;
  /** count·rows·columns bytes, row-major: one 28×28×1 MNIST image after another. */
  pixels: Uint8Array;
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}

function describeMagic(magic: number): string {
  if (magic === idxImagesMagic) return ' (that of an IDX images file)';
  if (magic === idxLabelsMagic) return ' (that of an IDX labels file)';
  return '';
}

/** Checks the magic number and the header length; returns the header's sizes. */
function readHeader(bytes: Uint8Array, name: string, magic: number, kind: string): number[] {
  const dimensions = magic & 0xff;
  const headerBytes = 4 + 4 * dimensions;
  if (bytes.length < 4) {
    throw new Error(`${name} is truncated: ${bytes.length} bytes, too short for an IDX header`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found = view.getUint32(0, false);
  if (found !== magic) {
    throw new Error(
      `${name} is not an IDX ${kind} file: its magic number is ${hex(found)}${describeMagic(found)}, expected ${hex(magic)}`,
    );
  }
  if (bytes.length < headerBytes) {
    throw new Error(
      `${name} is truncated: ${bytes.length} bytes, shorter than its ${headerBytes}-byte header`,
    );
  }
  return Array.from({ length: dimensions }, (_, d) => view.getUint32(4 + 4 * d, false));
}

/**
 * The error for a body of `actual` bytes where the header announced `expected`; null when they
 * agree. `atLeast`: unpacking was stopped after `actual` bytes, so there are more.
 */
function bodyProblem(
  name: string,
  actual: number,
  expected: number,
  what: string,
  atLeast = false,
): Error | null {
  if (actual < expected) {
    return new Error(
      `${name} is truncated: its header announces ${what} (${formatCount(expected)} bytes) but only ${formatCount(actual)} bytes follow`,
    );
  }
  if (actual > expected) {
    const follow = atLeast
      ? `more than ${formatCount(actual)} follow (unpacking was stopped there)`
      : `${formatCount(actual)} follow`;
    return new Error(
      `${name} is longer than its header says: ${what} take ${formatCount(expected)} bytes but ${follow}`,
    );
  }
  return null;
}

/** The data after the header must be exactly `expected` bytes. */
function body(bytes: Uint8Array, name: string, offset: number, expected: number, what: string) {
  const problem = bodyProblem(name, bytes.length - offset, expected, what);
  if (problem) throw problem;
  return bytes.subarray(offset, offset + expected);
}

/** The images' header: count, rows, columns, checked; and what they are, for messages. */
function imagesHeader(bytes: Uint8Array, name: string) {
  const [count = 0, rows = 0, columns = 0] = readHeader(bytes, name, idxImagesMagic, 'images');
  if (rows === 0 || columns === 0) {
    throw new Error(`${name} announces images of ${rows}×${columns} pixels`);
  }
  // Past 2^53 the product is rounded, but no file is that large: it is refused either way.
  return {
    count,
    rows,
    columns,
    bodyBytes: count * rows * columns,
    what: `${formatCount(count)} images of ${rows}×${columns}`,
  };
}

function labelsHeader(bytes: Uint8Array, name: string) {
  const [count = 0] = readHeader(bytes, name, idxLabelsMagic, 'labels');
  return { bodyBytes: count, what: `${formatCount(count)} labels` };
}

/** What an IDX file's header says about its size, so it is checked before the body is read. */
function headerSize(
  path: string,
  headerBytes: number,
  parse: (bytes: Uint8Array, name: string) => { bodyBytes: number; what: string },
): HeaderSize {
  const name = basename(path);
  let what = '';
  return {
    headerBytes,
    announced(head) {
      const header = parse(head, name);
      what = header.what;
      return headerBytes + header.bodyBytes;
    },
    mismatch: (actual, announced, atLeast) =>
      bodyProblem(name, actual - headerBytes, announced - headerBytes, what, atLeast) ??
      new Error(`${name} has the size its header announces`),
  };
}

export const idxImagesHeaderSize = (path: string): HeaderSize => headerSize(path, 16, imagesHeader);
export const idxLabelsHeaderSize = (path: string): HeaderSize => headerSize(path, 8, labelsHeader);

/** Parses an IDX images file (already unpacked); `path` names it in error messages. */
export function parseIdxImages(bytes: Uint8Array, path: string): IdxImages {
  const name = basename(path);
  const { count, rows, columns, bodyBytes, what } = imagesHeader(bytes, name);
  const pixels = body(bytes, name, 16, bodyBytes, what);
  return { count, rows, columns, pixels };
}

/** Parses an IDX labels file (already unpacked); one byte per label. */
export function parseIdxLabels(bytes: Uint8Array, path: string): Uint8Array {
  const name = basename(path);
  const { bodyBytes, what } = labelsHeader(bytes, name);
  return body(bytes, name, 8, bodyBytes, what);
}
