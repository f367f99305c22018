/**
 * Small deterministic dataset files for the reader tests: IDX (plain or gzipped), CIFAR binary
 * batches and folders of PNG/JPEG images, written into a fresh temporary folder.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import sharp from 'sharp';

export function temporaryFolder(prefix = 'rfw-datasets-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Pixel value of image n at byte p: distinct per image, so a mix-up shows. */
export function pixelValue(n: number, p: number): number {
  return (n * 31 + p * 7) % 256;
}

function bigEndian(values: number[]): Buffer {
  const buffer = Buffer.alloc(values.length * 4);
  values.forEach((value, i) => buffer.writeUInt32BE(value, i * 4));
  return buffer;
}

export function idxImagesBytes(count: number, rows: number, columns: number, offset = 0): Buffer {
  const pixels = Buffer.alloc(count * rows * columns);
  for (let n = 0; n < count; n += 1) {
    for (let p = 0; p < rows * columns; p += 1)
      pixels[n * rows * columns + p] = pixelValue(n + offset, p);
  }
  return Buffer.concat([bigEndian([0x803, count, rows, columns]), pixels]);
}

export function idxLabelsBytes(labels: number[]): Buffer {
  return Buffer.concat([bigEndian([0x801, labels.length]), Buffer.from(labels)]);
}

export function writeFile(path: string, bytes: Uint8Array, gzip = false): string {
  mkdirSync(dirname(path), { recursive: true });
  const target = gzip ? `${path}.gz` : path;
  writeFileSync(target, gzip ? gzipSync(bytes) : bytes);
  return target;
}

/** Labels 0..9 cycling. */
export function cyclingLabels(count: number, classes = 10): number[] {
  return Array.from({ length: count }, (_, i) => i % classes);
}

/** A folder with the four standard IDX files: `train` and `test` images of rows×columns. */
export function writeIdxFolder(
  folder: string,
  options: { train: number; test: number; rows?: number; columns?: number; gzip?: boolean },
): void {
  const { train, test, rows = 4, columns = 3, gzip = false } = options;
  writeFile(join(folder, 'train-images-idx3-ubyte'), idxImagesBytes(train, rows, columns), gzip);
  writeFile(join(folder, 'train-labels-idx1-ubyte'), idxLabelsBytes(cyclingLabels(train)), gzip);
  if (test > 0) {
    writeFile(
      join(folder, 't10k-images-idx3-ubyte'),
      idxImagesBytes(test, rows, columns, 1000),
      gzip,
    );
    writeFile(join(folder, 't10k-labels-idx1-ubyte'), idxLabelsBytes(cyclingLabels(test)), gzip);
  }
}

/**
 * CIFAR records: image n has red = pixelValue(n, p), green = red + 1, blue = red + 2 (mod 256)
 * at plane position p, so planar → HWC mistakes show.
 */
export function cifarBytes(labels: number[][], first = 0): Buffer {
  const plane = 1024;
  const records = labels.map((labelBytes, k) => {
    const n = first + k;
    const pixels = Buffer.alloc(3 * plane);
    for (let p = 0; p < plane; p += 1) {
      for (let c = 0; c < 3; c += 1) pixels[c * plane + p] = (pixelValue(n, p) + c) % 256;
    }
    return Buffer.concat([Buffer.from(labelBytes), pixels]);
  });
  return Buffer.concat(records);
}

/** A solid-colour image file (PNG or JPEG by extension) of the given size. */
export async function writeImage(
  path: string,
  width: number,
  height: number,
  rgb: [number, number, number],
): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const data = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i += 1) data.set(rgb, i * 3);
  const image = sharp(data, { raw: { width, height, channels: 3 } });
  await (path.endsWith('.png') ? image.png() : image.jpeg({ quality: 100 })).toFile(path);
}
