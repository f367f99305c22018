/** The ArrayBuffers inside a job result, to transfer (not copy) back to the main thread. */
import type { JobResult } from '../protocol';

export function transferList(result: JobResult): ArrayBuffer[] {
  const buffers = buffersOf(result);
  // A SharedArrayBuffer cannot be transferred, and a buffer may only be listed once.
  return [...new Set(buffers.filter((b): b is ArrayBuffer => b instanceof ArrayBuffer))];
}

function buffersOf(result: JobResult): ArrayBufferLike[] {
  switch (result.kind) {
    case 'train':
      return result.weights.map((w) => w.data.buffer);
    case 'attack':
      return [result.adversarial.buffer];
    case 'experiment':
      return [
        ...result.datasets.flatMap((d) => [
          d.images.buffer,
          d.labels.buffer,
          d.sourceIndices.buffer,
        ]),
        ...result.models.flatMap((m) => m.weights.map((w) => w.data.buffer)),
      ];
    case 'evaluation': {
      // The per-example records and worst-case images are moved; the counts are copied.
      const { runs, worstImages } = result.measurements.perExample;
      return [...runs, ...worstImages].map((values) => values.buffer);
    }
    case 'model-import':
      return result.weights.map((w) => w.data.buffer);
    case 'model-export':
    case 'recipe-weights':
      // File paths only.
      return [];
    case 'features':
      return result.outputs.map((output) => output.data.buffer);
  }
}
