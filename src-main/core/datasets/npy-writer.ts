/**
 * Writes .npy files (format 1.0, see npy-format.ts): the header at once, then the data in as
 * many pieces as the caller likes, so a large array never has to be in memory whole. The file
 * is refused (and removed) unless exactly shape's element count was written.
 */
import { open, rm, type FileHandle } from 'node:fs/promises';
import { endianness } from 'node:os';
import {
  elementCount,
  npyAlignment,
  npyDescriptors,
  npyMagic,
  shapeLiteral,
  type NpyDtype,
} from './npy-format';

/** The complete header (magic, version, length, padded dict) for an array. */
export function npyHeader(dtype: NpyDtype, shape: readonly number[]): Uint8Array {
  const dict = `{'descr': '${npyDescriptors[dtype].descr}', 'fortran_order': False, 'shape': ${shapeLiteral(shape)}, }`;
  const prefix = npyMagic.length + 2 + 2;
  // Pad with spaces so prefix + dict + padding + '\n' is a multiple of 64.
  const unpadded = prefix + dict.length + 1;
  const padding = (npyAlignment - (unpadded % npyAlignment)) % npyAlignment;
  const text = `${dict}${' '.repeat(padding)}\n`;
  if (text.length > 0xffff)
    throw new Error(`an .npy header of ${text.length} bytes needs format 2.0`);
  const header = new Uint8Array(prefix + text.length);
  header.set(npyMagic, 0);
  header[6] = 1;
  header[7] = 0;
  new DataView(header.buffer).setUint16(8, text.length, true);
  for (let i = 0; i < text.length; i += 1) header[prefix + i] = text.charCodeAt(i);
  return header;
}

type Values = Uint8Array | Float32Array | Int32Array;

/** Little-endian bytes of `values` as `dtype` (int64 widened from int32). */
function encode(values: Values, dtype: NpyDtype): Uint8Array {
  const expected = dtype === 'uint8' ? Uint8Array : dtype === 'float32' ? Float32Array : Int32Array;
  if (!(values instanceof expected)) {
    throw new Error(`cannot write ${values.constructor.name} values as ${dtype}`);
  }
  if (dtype === 'int64') {
    const wide = new BigInt64Array(values.length);
    for (let i = 0; i < values.length; i += 1) wide[i] = BigInt(values[i] ?? 0);
    return new Uint8Array(wide.buffer);
  }
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

export class NpyWriter {
  private written = 0;

  private constructor(
    readonly path: string,
    private readonly file: FileHandle,
    private readonly dtype: NpyDtype,
    private readonly shape: readonly number[],
  ) {}

  /** Creates `path` (refusing to overwrite) and writes the header. */
  static async create(path: string, dtype: NpyDtype, shape: readonly number[]): Promise<NpyWriter> {
    // The data is written as the machine's typed arrays; every platform Node ships for is LE.
    if (endianness() !== 'LE') throw new Error('.npy export needs a little-endian machine');
    const file = await open(path, 'wx');
    try {
      await file.write(npyHeader(dtype, shape));
    } catch (error) {
      await file.close();
      throw error;
    }
    return new NpyWriter(path, file, dtype, shape);
  }

  async write(values: Values): Promise<void> {
    if (this.written + values.length > elementCount(this.shape)) {
      throw new Error(`${this.path}: more values than its shape ${shapeLiteral(this.shape)} holds`);
    }
    await this.file.write(encode(values, this.dtype));
    this.written += values.length;
  }

  async close(): Promise<void> {
    await this.file.close();
    const expected = elementCount(this.shape);
    if (this.written !== expected) {
      await rm(this.path, { force: true });
      throw new Error(`${this.path}: wrote ${this.written} values, its shape needs ${expected}`);
    }
  }

  /** Closes and deletes an unfinished file (on failure or cancel). */
  async discard(): Promise<void> {
    await this.file.close().catch(() => {});
    await rm(this.path, { force: true });
  }
}

/** Writes a whole array at once. */
export async function writeNpy(
  path: string,
  dtype: NpyDtype,
  shape: readonly number[],
  values: Values,
): Promise<void> {
  const writer = await NpyWriter.create(path, dtype, shape);
  try {
    await writer.write(values);
  } catch (error) {
    await writer.discard();
    throw error;
  }
  await writer.close();
}
