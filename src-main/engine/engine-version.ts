/** Recorded with every result (DESIGN §3): bump ENGINE_VERSION when numerics or defaults change. */
import { version_core } from '@tensorflow/tfjs-core';

export const ENGINE_VERSION = '0.1.0';

export function engineVersion(): string {
  return `rfw-engine ${ENGINE_VERSION} (tfjs-core ${version_core})`;
}
