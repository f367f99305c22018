/** Guards for a ModelSpec that arrived over the wire. */
import type { ModelSpec } from '../engine-types';

export function validateModelSpec(spec: ModelSpec): void {
  const [h, w, c] = spec.inputShape;
  for (const [what, value] of [
    ['image height', h],
    ['image width', w],
    ['image channels', c],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`${what} must be a whole number ≥ 1, got ${value}`);
    }
  }
  if (!Number.isInteger(spec.numClasses) || spec.numClasses < 2) {
    throw new Error(`a classifier needs at least 2 classes, got ${spec.numClasses}`);
  }
}
