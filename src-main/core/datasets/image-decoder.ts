/**
 * One image file → bytes of the size and colour the dataset stores, through sharp (libvips):
 *   resize (optional; fit cover = crop, contain = pad black, fill = stretch)
 *   → flatten any alpha onto black → grayscale (libvips' b-w) or sRGB → raw HWC uint8.
 * No EXIF auto-rotation: the stored image is the file's pixel grid, as its header's size says.
 */
import { basename, dirname } from 'node:path';
import sharp from 'sharp';
import type { ImageFitName } from '../../common/schemas';

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

/** "cat/001.png": the class folder and file, enough to find it. */
export function shortName(path: string): string {
  return `${basename(dirname(path))}/${basename(path)}`;
}

export async function decodeImage(path: string, options: DecodeOptions): Promise<DecodedImage> {
  try {
    let pipeline = sharp(path, { failOn: 'truncated' });
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
    throw new Error(`${shortName(path)} cannot be read as an image: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** Width and height from the file's header (nothing decoded); throws a clear error if unreadable. */
export async function imageSize(path: string): Promise<{ height: number; width: number }> {
  let metadata: sharp.Metadata;
  try {
    metadata = await sharp(path).metadata();
  } catch (error) {
    throw new Error(`${shortName(path)} cannot be read as an image: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (!metadata.width || !metadata.height) {
    throw new Error(`${shortName(path)} cannot be read as an image: its size is unknown`);
  }
  return { height: metadata.height, width: metadata.width };
}
