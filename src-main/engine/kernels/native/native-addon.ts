/**
 * Finds and loads the optional native kernel addon (native/, built at `npm install` by
 * scripts/build-native-kernels.mjs against the system OpenBLAS). Like the tfjs-node packages,
 * its absence is an ordinary outcome: the engine then keeps the wasm kernels, and the backend
 * status says why.
 *
 * The RFW_NATIVE_KERNELS=off setting (common/environment-settings.ts) turns it off, to measure
 * without it or to rule it out; 'on', the default, means "use it when it loads".
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineSettings } from '../../../common/environment-settings';
import { errorMessage } from '../../backend/load-optional-package';

/** The addon's functions (native/src/addon.c documents each). */
export interface NativeKernelFunctions {
  /** bias [Cout] and relu: added to each output tile in cache (FusedConv2D). */
  conv2dForward(
    x: Float32Array,
    w: Float32Array,
    y: Float32Array,
    geometry: Int32Array,
    bias: Float32Array | null,
    relu: boolean,
  ): void;
  conv2dBackpropInput(dy: Float32Array, w: Float32Array, dx: Float32Array, g: Int32Array): void;
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, dw: Float32Array, g: Int32Array): void;
  batchMatMul(a: Float32Array, b: Float32Array, out: Float32Array, geometry: Int32Array): void;
  maxPoolBackprop(dy: Float32Array, x: Float32Array, dx: Float32Array, geometry: Int32Array): void;
  /** out[c] = Σ_r x[r, c] for x [rows, cols]. */
  sumLeadingAxes(x: Float32Array, out: Float32Array, rows: number, cols: number): void;
  relu(x: Float32Array, out: Float32Array): void;
  step(x: Float32Array, out: Float32Array, alpha: number): void;
  /** out = dy · step(x), the ReLU's gradient in one pass (x its input or output). */
  reluGradient(dy: Float32Array, x: Float32Array, out: Float32Array): void;
  /** b as long as a, or shorter and cycling along it (a per-channel operand). */
  add(a: Float32Array, b: Float32Array, out: Float32Array): void;
  multiply(a: Float32Array, b: Float32Array, out: Float32Array): void;
  /** OpenBLAS' build and core; threads = this thread's kernel threads. */
  blasInfo(): { config: string; coreName: string; threads: number };
  /** Threads for the kernels called from this (worker) thread. */
  setThreads(threads: number): void;
  /**
   * Whether this thread's 3×3 and 5×5 stride-1 'same' convolutions with ≥ 16 channels may run as
   * Winograd, F(4×4, 3×3) or F(2×2, 5×5) (on by default; off forces im2col, to compare or to rule
   * it out).
   */
  allowWinograd(allow: boolean): void;
  /** The algorithm each convolution kernel would run for a geometry, on this thread. */
  conv2dAlgorithms(geometry: Int32Array): {
    forward: NativeConvAlgorithm;
    inputGradient: NativeConvAlgorithm;
  };
}

/** The addon: its functions and the names its own table defines (FUNCTIONS in addon.c). */
export interface NativeKernelAddon extends NativeKernelFunctions {
  readonly functionNames: readonly string[];
}

/**
 * Every function NativeKernelFunctions declares, once: the mapped type makes a missing or an
 * unknown name a type error, so this list and the interface cannot drift apart.
 */
const FUNCTION_SET: { readonly [name in keyof NativeKernelFunctions]: true } = {
  conv2dForward: true,
  conv2dBackpropInput: true,
  conv2dBackpropFilter: true,
  batchMatMul: true,
  maxPoolBackprop: true,
  sumLeadingAxes: true,
  relu: true,
  step: true,
  reluGradient: true,
  add: true,
  multiply: true,
  blasInfo: true,
  setThreads: true,
  allowWinograd: true,
  conv2dAlgorithms: true,
};
export const NATIVE_KERNEL_FUNCTIONS = Object.keys(FUNCTION_SET) as (keyof NativeKernelFunctions)[];

/**
 * How a native convolution computes: im2col + SGEMM, or Winograd F(4×4, 3×3) or F(2×2, 5×5)
 * (native/src/winograd.h).
 */
export type NativeConvAlgorithm = 'im2col' | 'winograd';

export type NativeAddonLoad =
  { ok: true; addon: NativeKernelAddon; path: string } | { ok: false; reason: string };

const ADDON_RELATIVE_PATH = join('native', 'build', 'Release', 'rfw_kernels.node');

/**
 * Walks up from this module (src-main/engine/kernels/native under vitest, out/main in the build)
 * to the first folder holding the built addon.
 */
export function findNativeAddon(startFile: string = fileURLToPath(import.meta.url)): string | null {
  let folder = dirname(startFile);
  for (let depth = 0; depth < 8; depth++) {
    const candidate = join(folder, ADDON_RELATIVE_PATH);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  return null;
}

/**
 * Why a loaded module is not the kernel addon this engine expects, or null when it is: every
 * function NativeKernelFunctions declares must be in the addon's own `functionNames` table and
 * be a function (an addon built from older sources lacks some, or the table itself).
 */
export function addonMismatch(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'it exports no object';
  const exported = value as Record<string, unknown>;
  const table = exported.functionNames;
  if (!Array.isArray(table)) return 'it has no functionNames table (built from older sources?)';
  const missing = NATIVE_KERNEL_FUNCTIONS.filter(
    (name) => !table.includes(name) || typeof exported[name] !== 'function',
  );
  return missing.length === 0 ? null : `it lacks ${missing.join(', ')}`;
}

export function loadNativeAddon(settings: Partial<EngineSettings> = {}): NativeAddonLoad {
  if (settings.nativeKernels === 'off') {
    return { ok: false, reason: 'turned off by RFW_NATIVE_KERNELS=off' };
  }
  const path = findNativeAddon();
  if (path === null) {
    return {
      ok: false,
      reason: `not built (no ${ADDON_RELATIVE_PATH}; npm install builds it when libopenblas-dev is installed)`,
    };
  }
  try {
    const loaded: unknown = createRequire(import.meta.url)(path);
    const mismatch = addonMismatch(loaded);
    if (mismatch !== null) {
      return { ok: false, reason: `${path} is not the kernel addon: ${mismatch}` };
    }
    return { ok: true, addon: loaded as NativeKernelAddon, path };
  } catch (error) {
    return { ok: false, reason: `${path} failed to load: ${errorMessage(error).split('\n')[0]}` };
  }
}
