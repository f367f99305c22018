/**
 * Stored pixels as the engine sees them: float32 in [0, 1]. uint8 pixels are scaled by 1/255
 * exactly as engine/data/image-source.ts does (float32(v · (1/255))), so an exported clean image
 * is bit for bit the x that the attack started from and that the norms ‖x' − x‖ were taken from.
 */
export function unitPixels(data: Uint8Array | Float32Array): Float32Array {
  if (data instanceof Float32Array) return data;
  const scale = 1 / 255;
  return Float32Array.from(data, (value) => value * scale);
}
