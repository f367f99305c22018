/**
 * What every dataset importer checks before it reads a byte of a file's body: that the path is a
 * regular file (not a folder, FIFO, socket or device such as /dev/zero, which would be read
 * forever), and that what it will hold in memory fits.
 *
 * The limit: an import holds a file's bytes, the dataset's combined pixel array and SQLite's
 * write buffers at once, so about three copies of the data. A quarter of the machine's memory
 * keeps that under three quarters of it, leaving room for the rest of the workbench. It is also
 * never more than 2 GiB: Node's readFile refuses larger files, and a single dataset row set that
 * large is beyond what the engine feeds to tfjs in one piece anyway. On a 16 GB machine the limit
 * is 2 GiB (2,048 MB); on a 4 GB one, 1,024 MB. MNIST is 55 MB, CIFAR-10 184 MB.
 */
import { statSync } from 'node:fs';
import { totalmem } from 'node:os';
import { basename } from 'node:path';

const mebibyte = 1024 * 1024;
const readFileLimit = 2 * 1024 * mebibyte;

/** Bytes an import may read or hold for one dataset (see above for why). */
export function importByteLimit(): number {
  return Math.min(readFileLimit, Math.floor(totalmem() / 4));
}

/** "1,234.5 MB" (mebibytes, one decimal). */
export function formatMegabytes(bytes: number): string {
  return `${(bytes / mebibyte).toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} MB`;
}

/** Why the limit is what it is, for messages. */
export function importLimitReason(limit = importByteLimit()): string {
  return `an import holds at most ${formatMegabytes(limit)} (a quarter of this machine's ${formatMegabytes(totalmem())} of memory, and never more than 2,048 MB)`;
}

/** Throws when `bytes` (what `what` needs) is more than an import may hold. */
export function checkImportBytes(bytes: number, what: string, limit = importByteLimit()): void {
  if (bytes > limit) {
    throw new Error(`${what} needs ${formatMegabytes(bytes)}: ${importLimitReason(limit)}`);
  }
}

/**
 * The size of a regular file, without opening it. Throws, naming the file, when it is missing,
 * a folder, or anything else that is not a plain file (a FIFO, a device like /dev/zero).
 */
export function regularFileSize(path: string): number {
  let stat;
  try {
    stat = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`${path} does not exist`, { cause: error });
    throw new Error(`${path} cannot be read: ${(error as Error).message}`, { cause: error });
  }
  if (stat.isDirectory()) throw new Error(`${path} is a folder, not a file`);
  if (!stat.isFile()) {
    const kind = stat.isFIFO()
      ? 'a pipe (FIFO)'
      : stat.isCharacterDevice() || stat.isBlockDevice()
        ? 'a device'
        : stat.isSocket()
          ? 'a socket'
          : 'not a regular file';
    throw new Error(`${path} is ${kind}, not a regular file: only files can be imported`);
  }
  return stat.size;
}

/** The size of a regular file that fits the import limit; throws otherwise. */
export function importFileSize(path: string, limit = importByteLimit()): number {
  const size = regularFileSize(path);
  if (size > limit) {
    throw new Error(`${basename(path)} is ${formatMegabytes(size)}: ${importLimitReason(limit)}`);
  }
  return size;
}
