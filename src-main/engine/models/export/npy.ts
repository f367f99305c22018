/**
 * NumPy .npy, format version 1.0, float32 little-endian ('<f4'), C order — the one dtype the
 * workbench's weights have. Layout (numpy/lib/format.py):
 *   b'\x93NUMPY' · major 1 · minor 0 · header length (uint16 LE) · header · data
 * where the header is the ASCII dict "{'descr': '<f4', 'fortran_order': False, 'shape': (…), }"
 * padded with spaces and ended by '\n' so that magic + lengths + header is a multiple of 64 bytes.
 */
import { npyHeaderFields } from '../../../common/npy-header';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const PREAMBLE = MAGIC.length + 2 + 2;

export interface NpyArray {
  shape: number[];
  data: Float32Array;
}

function shapeLiteral(shape: readonly number[]): string {
  // Python's tuple syntax: () for a scalar, (n,) for one axis.
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(', ')})`;
}

export function encodeNpy(shape: readonly number[], data: Float32Array): Uint8Array {
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== data.length) {
    throw new Error(`shape [${shape.join(', ')}] holds ${size} values, got ${data.length}`);
  }
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeLiteral(shape)}, }`;
  const padding = (64 - ((PREAMBLE + dict.length + 1) % 64)) % 64;
  const header = `${dict}${' '.repeat(padding)}\n`;
  const bytes = new Uint8Array(PREAMBLE + header.length + data.length * 4);
  bytes.set(MAGIC, 0);
  bytes[6] = 1;
  bytes[7] = 0;
  const view = new DataView(bytes.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) bytes[PREAMBLE + i] = header.charCodeAt(i);
  const offset = PREAMBLE + header.length;
  for (let i = 0; i < data.length; i++) view.setFloat32(offset + i * 4, data[i] ?? 0, true);
  return bytes;
}

/** Reads what encodeNpy writes (v1.0 or 2.0 header, '<f4', C order); anything else is refused. */
export function decodeNpy(bytes: Uint8Array, what = 'array'): NpyArray {
  if (bytes.length < PREAMBLE || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new Error(`${what} is not a .npy file (no \\x93NUMPY magic)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  if (major !== 1 && major !== 2)
    throw new Error(`${what}: .npy version ${major} is not supported`);
  const header = new TextDecoder('latin1').decode(
    bytes.subarray(headerStart, headerStart + headerLength),
  );
  const { descr, fortranOrder, shape } = npyHeaderFields(header);
  if (descr !== '<f4') throw new Error(`${what}: dtype ${descr ?? '?'} is not float32 '<f4'`);
  if (fortranOrder !== false) throw new Error(`${what}: Fortran order is not supported`);
  if (shape === undefined) throw new Error(`${what}: the header has no shape`);
  const size = shape.reduce((a, b) => a * b, 1);
  const offset = headerStart + headerLength;
  if (bytes.length - offset !== size * 4) {
    throw new Error(
      `${what}: shape (${shape.join(', ')}) needs ${size * 4} bytes of data, found ${bytes.length - offset}`,
    );
  }
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) data[i] = view.getFloat32(offset + i * 4, true);
  return { shape, data };
}
