/**
 * Reads a file whole, unpacking it when it is gzip-compressed (recognized by its first two bytes,
 * 0x1f 0x8b, not by its name). Reading and unpacking run off the event loop (libuv's pool).
 *
 * Nothing unbounded is ever read: the path must be a regular file (import-file.ts), and when the
 * format has a header that announces its size (HeaderSize), a plain file's size is checked against
 * it before its body is read, and a gzip is unpacked as a stream that stops at the first byte
 * beyond the announced size (or beyond the import limit while the header is still unread). A
 * 1 KB gzip that would inflate to 1.5 GB costs a few kilobytes.
 */
import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { createGunzip } from 'node:zlib';
import {
  formatMegabytes,
  importByteLimit,
  importFileSize,
  importLimitReason,
  regularFileSize,
} from './import-file';

/** What a format's header says about the size of the whole (unpacked) file. */
export interface HeaderSize {
  /** Bytes of header needed to know the size. */
  headerBytes: number;
  /** Throws when the head is bad (shorter than headerBytes only when the file is); else the
   * size of the whole file it announces, header included. */
  announced(head: Uint8Array): number;
  /** The error for a file of `actual` bytes where `announced` were; `atLeast` when unpacking was
   * stopped at `actual`. */
  mismatch(actual: number, announced: number, atLeast: boolean): Error;
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

async function readHead(path: string, length: number): Promise<Uint8Array> {
  const file = await open(path, 'r');
  try {
    const head = new Uint8Array(length);
    const { bytesRead } = await file.read(head, 0, length, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

function cannotRead(path: string, error: unknown): Error {
  return new Error(`${path} cannot be read: ${(error as Error).message}`, { cause: error });
}

async function readPlain(path: string, header: HeaderSize | undefined, limit: number) {
  if (header) {
    const size = regularFileSize(path);
    const announced = header.announced(await readHead(path, header.headerBytes));
    if (size !== announced) throw header.mismatch(size, announced, false);
  }
  importFileSize(path, limit);
  try {
    return await readFile(path);
  } catch (error) {
    throw cannotRead(path, error);
  }
}

/**
 * Unpacks a gzip as a stream, refusing as soon as the output passes what the header announces
 * (or `limit` before the header is complete).
 */
async function readGzip(path: string, header: HeaderSize | undefined, limit: number) {
  const name = basename(path);
  const source = createReadStream(path);
  const gunzip = createGunzip();
  source.on('error', (error) => gunzip.destroy(error));
  source.pipe(gunzip);
  const chunks: Buffer[] = [];
  let total = 0;
  let announced: number | null = null;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      total += chunk.length;
      if (header && announced === null && total >= header.headerBytes) {
        announced = header.announced(Buffer.concat(chunks).subarray(0, header.headerBytes));
        if (announced > limit) {
          throw new Error(
            `${name}'s header announces ${formatMegabytes(announced)} once unpacked: ${importLimitReason(limit)}`,
          );
        }
      }
      if (announced !== null && header && total > announced) {
        throw header.mismatch(total, announced, true);
      }
      if (total > limit) {
        throw new Error(
          `${name} unpacks to more than ${formatMegabytes(limit)} (unpacking was stopped there): ${importLimitReason(limit)}`,
        );
      }
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code?.startsWith('Z_')) {
      throw new Error(
        `${name} could not be decompressed (a truncated or damaged .gz file): ${(error as Error).message}`,
        { cause: error },
      );
    }
    // A system error while reading (EIO, EACCES); the checks above throw errors without a code.
    if (code !== undefined) throw cannotRead(path, error);
    throw error;
  } finally {
    source.destroy();
    gunzip.destroy();
  }
  const bytes = Buffer.concat(chunks);
  if (header) {
    const expected = announced ?? header.announced(bytes);
    if (total !== expected) throw header.mismatch(total, expected, false);
  }
  return bytes;
}

/**
 * The bytes of `path`, unpacked if gzipped. `header` lets the format refuse a file whose size
 * does not match its header before the body is read; `limit` caps what is held.
 */
export async function readMaybeGzip(
  path: string,
  header?: HeaderSize,
  limit = importByteLimit(),
): Promise<Uint8Array> {
  regularFileSize(path);
  let head: Uint8Array;
  try {
    head = await readHead(path, 2);
  } catch (error) {
    throw cannotRead(path, error);
  }
  return isGzip(head) ? readGzip(path, header, limit) : readPlain(path, header, limit);
}
