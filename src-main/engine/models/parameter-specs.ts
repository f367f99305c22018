/** Pieces shared by the built-in architectures' parameter lists. */
import type { ModelSpec } from '../engine-types';
import type { ParameterSpec } from './model-types';

/** A layer's weight (He-normal, last axis = outputs) and its bias [outputs] (zeros). */
export function weightAndBias(name: string, shape: number[], fanIn: number): ParameterSpec[] {
  const out = shape[shape.length - 1] ?? 0;
  return [
    { name: `${name}.weight`, shape, initializer: 'he-normal', fanIn },
    { name: `${name}.bias`, shape: [out], initializer: 'zeros', fanIn },
  ];
}

/**
 * Height and width after `pools` 2×2 'valid' max-pools: ⌊…⌊H/2⌋…/2⌋. Throws when either would be
 * 0, since the flattened dense layer would then have no inputs (a 2×2 image through two pools).
 */
export function pooledExtent(
  spec: ModelSpec,
  pools: number,
  architecture: string,
): [height: number, width: number] {
  const [height, width] = spec.inputShape;
  let pooledHeight = height;
  let pooledWidth = width;
  for (let i = 0; i < pools; i++) {
    pooledHeight = Math.floor(pooledHeight / 2);
    pooledWidth = Math.floor(pooledWidth / 2);
  }
  if (pooledHeight < 1 || pooledWidth < 1) {
    const least = 2 ** pools;
    throw new Error(
      `${architecture} needs images of at least ${least}×${least} pixels, got ${height}×${width}`,
    );
  }
  return [pooledHeight, pooledWidth];
}
