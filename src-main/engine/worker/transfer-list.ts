/** The ArrayBuffers inside a job result, to transfer (not copy) back to the main thread. */
import type { JobResult } from '../protocol';

export function transferList(result: JobResult): ArrayBuffer[] {
  const buffers =
    result.kind === 'train'
      ? result.weights.map((w) => w.data.buffer)
      : [result.adversarial.buffer];
  // A SharedArrayBuffer cannot be transferred, and a buffer may only be listed once.
  return [...new Set(buffers.filter((b): b is ArrayBuffer => b instanceof ArrayBuffer))];
}
