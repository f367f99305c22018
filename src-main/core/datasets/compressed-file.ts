/**
 * Reads a file whole, unpacking it when it is gzip-compressed (recognized by its first two bytes,
 * 0x1f 0x8b, not by its name). Reading and unpacking run off the event loop (libuv's pool).
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';

const unzip = promisify(gunzip);

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export async function readMaybeGzip(path: string): Promise<Uint8Array> {
  let raw: Buffer;
  try {
    raw = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`${path} does not exist`, { cause: error });
    if (code === 'EISDIR') throw new Error(`${path} is a folder, not a file`, { cause: error });
    throw new Error(`${path} cannot be read: ${(error as Error).message}`, { cause: error });
  }
  if (!isGzip(raw)) return raw;
  try {
    return await unzip(raw);
  } catch (error) {
    throw new Error(
      `${basename(path)} could not be decompressed (a truncated or damaged .gz file): ${(error as Error).message}`,
      { cause: error },
    );
  }
}
