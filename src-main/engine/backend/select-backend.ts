/**
 * Picks the tfjs backend for this process: the first of tensorflow-gpu → tensorflow → wasm → cpu
 * that loads and initializes, or the forced one. Records, for each earlier candidate, why it was
 * not used, so runs can store the backend with the reason (DESIGN §3).
 *
 * A forced backend that fails falls back to cpu (always available) rather than to the native
 * ones: loading a native addon the user steered away from could be the very thing they avoided.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import type { EngineSettings } from '../../common/environment-settings';
import type { BackendName, BackendStatus } from '../../common/backend-schemas';
import { registerGradients } from '../gradients/register-gradients';
import { registerNativeKernels } from '../kernels/native/register-native-kernels';
import { registerWasmKernels } from '../kernels/register-wasm-kernels';
import { backendCandidates, type BackendCandidate } from './backend-candidates';
import { errorMessage, loadOptionalPackage, type PackageLoader } from './load-optional-package';

type Attempt = BackendStatus['attempts'][number];

export interface SelectBackendOptions {
  /** Who forced the backend, recorded in BackendStatus.forcedBy (e.g. 'RFW_BACKEND', 'settings'). */
  forcedBy?: string;
  /** Replaceable for tests. */
  loadPackage?: PackageLoader;
  /** Native kernels on or off and their threads (RFW_NATIVE_KERNELS, RFW_KERNEL_THREADS). */
  settings?: Partial<EngineSettings>;
}

async function tryCandidate(
  candidate: BackendCandidate,
  loadPackage: PackageLoader,
): Promise<Attempt> {
  if (candidate.packageName !== null) {
    const loaded = loadPackage(candidate.packageName);
    if (!loaded.ok) return { backend: candidate.name, ok: false, reason: loaded.reason };
  }
  try {
    const initialized = await tf.setBackend(candidate.tfBackendName);
    if (!initialized) {
      return {
        backend: candidate.name,
        ok: false,
        reason: `backend ${candidate.tfBackendName} failed to initialize`,
      };
    }
    await tf.ready();
  } catch (error) {
    return {
      backend: candidate.name,
      ok: false,
      reason: `backend ${candidate.tfBackendName} failed to initialize: ${errorMessage(error)}`,
    };
  }
  registerGradients();
  if (candidate.name === 'wasm') registerWasmKernels();
  return { backend: candidate.name, ok: true, reason: 'selected' };
}

export async function selectBackend(
  forcedBackend: BackendName | null,
  options: SelectBackendOptions = {},
): Promise<BackendStatus> {
  const loadPackage = options.loadPackage ?? loadOptionalPackage;
  const attempts: Attempt[] = [];
  const forcedBy = forcedBackend === null ? null : (options.forcedBy ?? 'a forced backend choice');

  const order =
    forcedBackend === null
      ? backendCandidates
      : backendCandidates.filter((c) => c.name === forcedBackend || c.name === 'cpu');
  if (forcedBackend !== null) {
    for (const candidate of backendCandidates) {
      if (candidate.name !== forcedBackend && candidate.name !== 'cpu') {
        attempts.push({
          backend: candidate.name,
          ok: false,
          reason: `skipped: ${forcedBackend} forced by ${forcedBy}`,
        });
      }
    }
  }
  for (const candidate of order) {
    const attempt = await tryCandidate(candidate, loadPackage);
    attempts.push(attempt);
    if (attempt.ok) {
      attempts.sort((a, b) => rank(a.backend) - rank(b.backend));
      // The in-process backends get the native kernels in front of their own when the addon
      // loads (measured fastest: see README, Benchmark); tensorflow ones are native already.
      const nativeKernels =
        candidate.name === 'wasm' || candidate.name === 'cpu'
          ? registerNativeKernels(candidate.name, options.settings)
          : null;
      return { active: candidate.name, attempts, forcedBy, nativeKernels };
    }
  }
  throw new Error(
    `no tfjs backend could start: ${attempts.map((a) => `${a.backend}: ${a.reason}`).join('; ')}`,
  );
}

function rank(name: BackendName): number {
  return backendCandidates.findIndex((c) => c.name === name);
}
