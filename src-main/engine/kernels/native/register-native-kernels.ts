/**
 * Puts the native kernels in front of a backend's own Conv2D, FusedConv2D, Conv2DBackpropInput,
 * Conv2DBackpropFilter, BatchMatMul, MaxPoolGrad, Sum (over leading axes) and the elementwise
 * Relu, Step, Add and Multiply, and adds the project's ReluGradient (no backend has one, so it
 * has no fallback and only the gradients call it, where it is ours). The kernel each replaces stays reachable as its
 * fallback for the cases the native one does not take (see each kernel). Idempotent: a kernel
 * that is already ours is left alone, so each worker and test file may call it freely.
 */
import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc } from '@tensorflow/tfjs-core';
import type { EngineSettings } from '../../../common/environment-settings';
import { loadNativeAddon, type NativeAddonLoad, type NativeKernelAddon } from './native-addon';
import {
  makeConv2D,
  makeConv2DBackpropFilter,
  makeConv2DBackpropInput,
  makeFusedConv2D,
  type ConvKernelMaker,
} from './native-conv-kernels';
import { makeBatchMatMul } from './native-matmul-kernel';
import { makeMaxPoolGrad } from './native-pool-kernel';
import { makeSum } from './native-sum-kernel';
import {
  makeAdd,
  makeMultiply,
  makeRelu,
  makeReluGradient,
  makeStep,
  RELU_GRADIENT_KERNEL,
} from './native-elementwise-kernels';
import type { NativeBackendName } from './tensor-memory';

export interface NativeKernelStatus {
  active: boolean;
  /** What runs (BLAS core and threads), or why the native kernels are not in use. */
  detail: string;
}

const kernelMakers: Readonly<Record<string, ConvKernelMaker>> = {
  Conv2D: makeConv2D,
  FusedConv2D: makeFusedConv2D,
  Conv2DBackpropInput: makeConv2DBackpropInput,
  Conv2DBackpropFilter: makeConv2DBackpropFilter,
  BatchMatMul: makeBatchMatMul,
  MaxPoolGrad: makeMaxPoolGrad,
  Sum: makeSum,
  Relu: makeRelu,
  Step: makeStep,
  Add: makeAdd,
  Multiply: makeMultiply,
  [RELU_GRADIENT_KERNEL]: makeReluGradient,
};

export const nativeKernelNames: readonly string[] = Object.keys(kernelMakers);

const ours = new WeakSet<KernelFunc>();

/** The kernel each native one replaced, per backend, so unregisterNativeKernels can restore it. */
const replaced = new Map<string, tf.KernelConfig | undefined>();

/** The addon once loaded in this thread (each worker loads its own), for the thread setting. */
let loadedAddon: NativeKernelAddon | null = null;

function missingKernel(name: string, backendName: string): KernelFunc {
  return () => {
    throw new Error(`backend ${backendName} has no ${name} kernel to fall back to`);
  };
}

function installKernels(
  addon: NativeKernelAddon,
  backendName: NativeBackendName,
  names: readonly string[],
): void {
  for (const [name, make] of Object.entries(kernelMakers)) {
    if (!names.includes(name)) continue;
    const existing = tf.getKernel(name, backendName);
    if (existing !== undefined && ours.has(existing.kernelFunc)) continue;
    const fallback = existing?.kernelFunc ?? missingKernel(name, backendName);
    const kernelFunc = make(addon, backendName, fallback);
    ours.add(kernelFunc);
    replaced.set(`${backendName}/${name}`, existing);
    if (existing !== undefined) tf.unregisterKernel(name, backendName);
    tf.registerKernel({ kernelName: name, backendName, kernelFunc });
  }
}

/** True where the kernel now registered for this backend is one of the native ones. */
export function isNativeKernel(kernelName: string, backendName: string): boolean {
  const kernel = tf.getKernel(kernelName, backendName);
  return kernel !== undefined && ours.has(kernel.kernelFunc);
}

/**
 * Puts back the kernels registerNativeKernels replaced on this backend (the benchmark measures
 * the same process with and without the native kernels). No-op where none were replaced.
 */
export function unregisterNativeKernels(backendName: NativeBackendName): void {
  for (const name of nativeKernelNames) {
    const key = `${backendName}/${name}`;
    if (!replaced.has(key)) continue;
    const original = replaced.get(key);
    replaced.delete(key);
    tf.unregisterKernel(name, backendName);
    if (original !== undefined) tf.registerKernel(original);
  }
}

/**
 * Kernel threads for this worker: the RFW_KERNEL_THREADS setting when set (an override for
 * measuring), else what the job runner asks for (see EnginePool), else every core.
 */
function threadsFor(requested: number, settings: Partial<EngineSettings>): number {
  const forced = settings.kernelThreads ?? null;
  if (forced !== null) return forced;
  return Number.isInteger(requested) && requested > 0 ? requested : availableParallelism();
}

/** Sets this worker's native kernel threads; a no-op where the addon is not in use. */
export function setNativeKernelThreads(
  requested: number,
  settings: Partial<EngineSettings> = {},
): void {
  loadedAddon?.setThreads(threadsFor(requested, settings));
}

export function registerNativeKernels(
  backendName: NativeBackendName,
  /** The worker's engine settings (common/environment-settings.ts); the defaults where absent. */
  settings: Partial<EngineSettings> = {},
  load: NativeAddonLoad = loadNativeAddon(settings),
  /** Which native kernels to put in front (all by default; a subset to measure one's effect). */
  names: readonly string[] = nativeKernelNames,
): NativeKernelStatus {
  if (!load.ok) return { active: false, detail: load.reason };
  loadedAddon = load.addon;
  load.addon.setThreads(threadsFor(availableParallelism(), settings));
  installKernels(load.addon, backendName, names);
  const blas = load.addon.blasInfo();
  return {
    active: true,
    detail:
      `${nativeKernelNames.join(', ')} in C on OpenBLAS (${blas.coreName} core), ` +
      `up to ${blas.threads} threads`,
  };
}
