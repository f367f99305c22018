/**
 * Installs the project's wasm kernels. Safe to call any number of times (each worker, each test
 * file): a kernel already ours is left alone; a built-in of the same name (the slow
 * Conv2DBackpropInput, the copying Identity, the Sign and Log1p that are wrong for small
 * values) is unregistered first, because registerKernel throws on duplicates.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { conv2dBackpropFilterWasmConfig } from './conv2d-backprop-filter-wasm';
import { conv2dBackpropInputWasmConfig } from './conv2d-backprop-input-wasm';
import { log1pWasmConfig, signWasmConfig } from './exact-unary-wasm';
import { identityWasmConfig } from './identity-wasm';
import { isNativeKernel } from './native/register-native-kernels';

export const projectWasmKernels: readonly KernelConfig[] = [
  conv2dBackpropInputWasmConfig,
  conv2dBackpropFilterWasmConfig,
  identityWasmConfig,
  signWasmConfig,
  log1pWasmConfig,
];

export function registerWasmKernels(): void {
  for (const config of projectWasmKernels) {
    const existing = tf.getKernel(config.kernelName, config.backendName);
    if (existing?.kernelFunc === config.kernelFunc) continue;
    // The native kernels, when in front, already fall back to these: leave them in place.
    if (isNativeKernel(config.kernelName, config.backendName)) continue;
    if (existing !== undefined) tf.unregisterKernel(config.kernelName, config.backendName);
    tf.registerKernel(config);
  }
}
