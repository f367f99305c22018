/** Test helper: switch tfjs to a backend (wasm gets the project kernels) and await it. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerGradients } from '../../../src-main/engine/gradients/register-gradients';
import { registerWasmKernels } from '../../../src-main/engine/kernels/register-wasm-kernels';

export async function useBackend(name: 'wasm' | 'cpu'): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`backend ${name} failed to start`);
  await tf.ready();
  registerGradients();
  if (name === 'wasm') registerWasmKernels();
}

/** Max |a−b| / max(1, |b|) elementwise — relative for large values, absolute near zero. */
export function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length)
    throw new Error(`length ${actual.length} ≠ ${expected.length}`);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] ?? NaN;
    const b = expected[i] ?? NaN;
    const error = Math.abs(a - b) / Math.max(1, Math.abs(b));
    if (!(error <= worst)) worst = Number.isNaN(error) ? Infinity : error;
  }
  return worst;
}
