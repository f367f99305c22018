/**
 * Reads .npy files (format 1.0 and 2.0, see npy-format.ts) with the dtypes the workbench writes:
 * |u1, <f4, <i4, <i8, in C order. Anything else is refused with a message naming it.
 */
import { npyHeaderFields } from '../../common/npy-header';
import { npyMagic, type NpyDtype } from './npy-format';

export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  /** int64 arrives as BigInt64Array. */
  data: Uint8Array | Float32Array | Int32Array | BigInt64Array;
  /** Bytes before the data (magic, version, length, padded header). */
  dataOffset: number;
}

const descrs: Record<string, NpyDtype> = {
  '|u1': 'uint8',
  '<u1': 'uint8',
  '<f4': 'float32',
  '<i4': 'int32',
  '<i8': 'int64',
};

export function parseNpy(bytes: Uint8Array): NpyArray {
  if (bytes.length < 10 || !npyMagic.every((byte, i) => bytes[i] === byte)) {
    throw new Error('not an .npy file: it does not start with \\x93NUMPY');
  }
  const major = bytes[6] ?? 0;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLength: number;
  let start: number;
  if (major === 1) {
    headerLength = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    headerLength = view.getUint32(8, true);
    start = 12;
  } else {
    throw new Error(`.npy format version ${major} is not supported`);
  }
  const dataOffset = start + headerLength;
  if (bytes.length < dataOffset) throw new Error('.npy file is truncated inside its header');
  const header = new TextDecoder('latin1').decode(bytes.subarray(start, dataOffset));
  const { descr, fortranOrder, shape } = npyHeaderFields(header);
  if (descr === undefined || fortranOrder === undefined || shape === undefined) {
    throw new Error(`.npy header is malformed: ${header.trim()}`);
  }
  const dtype = descrs[descr];
  if (!dtype) throw new Error(`.npy dtype ${descr} is not supported`);
  if (fortranOrder) throw new Error('.npy arrays in Fortran order are not supported');
  const count = shape.reduce((product, size) => product * size, 1);
  const width = { uint8: 1, float32: 4, int32: 4, int64: 8 }[dtype];
  const bodyBytes = bytes.length - dataOffset;
  if (bodyBytes !== count * width) {
    throw new Error(
      `.npy data is ${bodyBytes} bytes but shape (${shape.join(', ')}) of ${descr} needs ${count * width}`,
    );
  }
  // Copy (a Node Buffer's slice would be a view into a shared pool) so the typed array owns
  // aligned memory whatever the header length was.
  const body = new Uint8Array(bodyBytes);
  body.set(bytes.subarray(dataOffset));
  const copy = body.buffer;
  const data =
    dtype === 'uint8'
      ? new Uint8Array(copy)
      : dtype === 'float32'
        ? new Float32Array(copy)
        : dtype === 'int32'
          ? new Int32Array(copy)
          : new BigInt64Array(copy);
  return { dtype, shape, data, dataOffset };
}

/** The values as plain numbers (int64 values beyond ±2^53 lose precision). */
export function npyValues(array: NpyArray): number[] {
  const { data } = array;
  if (data instanceof BigInt64Array) return Array.from(data, (value) => Number(value));
  return Array.from(data as ArrayLike<number>);
}
