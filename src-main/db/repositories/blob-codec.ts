/**
 * Typed arrays ↔ SQLite BLOBs. SQLite stores bytes; we store little-endian values (the byte order
 * of every machine the workbench runs on) and copy on the way out so the result owns aligned memory.
 */
export function toBlob(array: ArrayBufferView): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

function copyBytes(blob: Buffer): ArrayBuffer {
  const buffer = new ArrayBuffer(blob.byteLength);
  new Uint8Array(buffer).set(blob);
  return buffer;
}

export const fromBlob = {
  float32: (blob: Buffer) => new Float32Array(copyBytes(blob)),
  int32: (blob: Buffer) => new Int32Array(copyBytes(blob)),
  uint8: (blob: Buffer) => new Uint8Array(copyBytes(blob)),
};

export const now = (): string => new Date().toISOString();
