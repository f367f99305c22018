/**
 * The NumPy .npy format, version 1.0 (numpy/lib/format.py, NEP 1):
 *
 *   "\x93NUMPY" | major 0x01 | minor 0x00 | HEADER_LEN (uint16, little-endian) | header | data
 *
 * The header is an ASCII Python dict literal, e.g.
 *   {'descr': '<f4', 'fortran_order': False, 'shape': (60000, 28, 28, 1), }
 * padded with spaces and ended by '\n' so that 10 + HEADER_LEN is a multiple of 64 (the data
 * then starts aligned). Data: C order, the dtype's byte order (we write little-endian).
 */
export const npyMagic = Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY
export const npyAlignment = 64;

export type NpyDtype = 'uint8' | 'float32' | 'int32' | 'int64';

/** dtype → the descr string numpy writes, and bytes per value. */
export const npyDescriptors: Record<NpyDtype, { descr: string; bytes: number }> = {
  uint8: { descr: '|u1', bytes: 1 },
  float32: { descr: '<f4', bytes: 4 },
  int32: { descr: '<i4', bytes: 4 },
  int64: { descr: '<i8', bytes: 8 },
};

/** Python's repr of a tuple of ints: "(3,)" for one element, "(2, 3)" for more, "()" for none. */
export function shapeLiteral(shape: readonly number[]): string {
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(', ')})`;
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((product, size) => product * size, 1);
}
