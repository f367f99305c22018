/**
 * The compute backends: which one the engine runs on, which were tried and why they were passed
 * over, and the native kernel addon in front of wasm/cpu. Pure zod, like every *-schemas.ts: the
 * renderer, both shells and the core all import these, so the compile-time types (z.infer) and
 * the run-time checks cannot drift apart.
 */
import { z } from 'zod';

export const BackendName = z.enum(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']);
export type BackendName = z.infer<typeof BackendName>;

export const BackendAttempt = z.object({
  backend: BackendName,
  ok: z.boolean(),
  /** Why this backend was not used (missing package, failed init, skipped by a forced choice). */
  reason: z.string(),
});
/** The native kernel addon (im2col + OpenBLAS) in front of the wasm/cpu backend's heavy kernels. */
export const NativeKernelStatus = z.object({
  active: z.boolean(),
  /** Which kernels run natively and on what BLAS, or why the addon is not in use. */
  detail: z.string(),
});
export type NativeKernelStatus = z.infer<typeof NativeKernelStatus>;

export const BackendStatus = z.object({
  /** null until the engine worker has started. */
  active: BackendName.nullable(),
  attempts: z.array(BackendAttempt),
  forcedBy: z.string().nullable(),
  /** null until the engine has started, and for the tensorflow backends (native already). */
  nativeKernels: NativeKernelStatus.nullable(),
});
export type BackendStatus = z.infer<typeof BackendStatus>;
