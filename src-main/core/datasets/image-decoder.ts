/**
 * One image file → bytes of the size and colour the dataset stores, through sharp (libvips):
 *   resize (optional; fit cover = crop, contain = pad black, fill = stretch)
 *   → flatten any alpha onto black → grayscale (libvips' b-w) or sRGB → raw HWC uint8.
 * No EXIF auto-rotation: the stored image is the file's pixel grid, as its header's size says.
 */
import { basename, dirname } from 'node:path';
import sharp from 'sharp';
import type { ImageFitName } from '../../common/dataset-io-schemas';
import { formatMegabytes, regularFileSize } from './import-file';

export interface DecodeOptions {
  size: { height: number; width: number } | null;
  fit: ImageFitName;
  color: 'grayscale' | 'rgb';
}

export interface DecodedImage {
  height: number;
  width: number;
  channels: number;
  /** height·width·channels bytes, HWC. */
  data: Uint8Array;
}

const black = { r: 0, g: 0, b: 0, alpha: 1 };

/**
 * Larger images are refused before decoding: 50 megapixels is above any ordinary camera's photo
 * (a 45 MP sensor), yet decoded as RGB it is 150 MB and an import decodes 8 files at once, so
 * this bounds the decoder at about 1.2 GB. (sharp's own default is 268 MP.)
 */
export const imagePixelLimit = 50_000_000;
/** A compressed file is smaller than its decoded pixels, so nothing larger can be within the
 * pixel limit: 150 MB, one 50 MP RGB image. Checked on the file's size, before it is read. */
export const imageFileLimit = imagePixelLimit * 3;

/** Throws, naming the file, unless it is a regular file within the size limit. */
function checkImageFile(path: string): void {
  const size = regularFileSize(path);
  if (size > imageFileLimit) {
    throw new Error(
      `${shortName(path)} is ${formatMegabytes(size)}: image files of up to ${formatMegabytes(imageFileLimit)} are read (the size of a ${imagePixelLimit / 1e6}-megapixel RGB image, the largest an import decodes)`,
    );
  }
}

function tooManyPixels(path: string, cause?: unknown): Error {
  return new Error(
    `${shortName(path)} cannot be read as an image: it has more than ${imagePixelLimit / 1e6} megapixels, the most an import decodes`,
    { cause },
  );
}

/** Any failure of a file, sharp's "exceeds pixel limit" in the user's words. */
function imageError(path: string, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) return tooManyPixels(path, error);
  return new Error(`${shortName(path)} cannot be read as an image: ${message}`, { cause: error });
}

/** "cat/001.png": the class folder and file, enough to find it. */
export function shortName(path: string): string {
  return `${basename(dirname(path))}/${basename(path)}`;
}

export async function decodeImage(path: string, options: DecodeOptions): Promise<DecodedImage> {
  try {
    checkImageFile(path);
    let pipeline = sharp(path, { failOn: 'truncated', limitInputPixels: imagePixelLimit });
    if (options.size) {
      pipeline = pipeline.resize(options.size.width, options.size.height, {
        fit: options.fit,
        background: black,
      });
    }
    pipeline = pipeline.flatten({ background: black });
    pipeline =
      options.color === 'grayscale' ? pipeline.grayscale() : pipeline.toColourspace('srgb');
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    const channels = options.color === 'grayscale' ? 1 : 3;
    if (info.channels !== channels) {
      throw new Error(`decoded to ${info.channels} channels instead of ${channels}`);
    }
    return { height: info.height, width: info.width, channels, data: new Uint8Array(data) };
  } catch (error) {
    throw imageError(path, error);
  }
}

/** Width and height from the file's header (nothing decoded); throws a clear error if unreadable. */
export async function imageSize(path: string): Promise<{ height: number; width: number }> {
  let metadata: sharp.Metadata;
  try {
    checkImageFile(path);
    metadata = await sharp(path, { limitInputPixels: imagePixelLimit }).metadata();
  } catch (error) {
    throw imageError(path, error);
  }
  if (!metadata.width || !metadata.height) {
    throw new Error(`${shortName(path)} cannot be read as an image: its size is unknown`);
  }
  // metadata() reads only the header, so the pixel limit is checked here by hand.
  if (metadata.width * metadata.height > imagePixelLimit) {
    throw tooManyPixels(path);
  }
  return { height: metadata.height, width: metadata.width };
}
