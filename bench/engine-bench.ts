/**
 * The engine rows: W1–W5 in this process on one backend, once per variant (engine-variants.ts).
 * Variants of a backend run back to back in one process, so "before" (the backend's own
 * kernels) and "after" (native kernels in front) are measured under the same conditions.
 *
 * Kernel state per variant: selectBackend registers the native kernels (as the workbench does);
 * the pure variant unregisters them and puts them back when it is done, so every later step of
 * the bench (and the next backend's selection) finds the engine in its default state.
 */
import { readFileSync } from 'node:fs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName, BackendStatus } from '../src-main/common/backend-schemas';
import type { EngineSettings } from '../src-main/common/environment-settings';
import { selectBackend } from '../src-main/engine/backend/select-backend';
import { loadNativeAddon } from '../src-main/engine/kernels/native/native-addon';
import { importOnnxFile } from '../src-main/engine/models/onnx/import-onnx-model';
import {
  registerNativeKernels,
  unregisterNativeKernels,
} from '../src-main/engine/kernels/native/register-native-kernels';
import { isNativeBackend, variantName, variantsOf, type EngineVariant } from './engine-variants';
import { measureWithScout, type Timing } from './measure';
import { plural, type ResultRow } from './report';
import { ratio, type TorchResults } from './torch-reference';
import {
  prepareWorkload,
  SCOUT_DIVISOR,
  workloads,
  type PreparedWorkload,
  type W5Inputs,
  type W5Source,
  type Workload,
} from './workloads';

export interface EngineBenchOptions {
  repeats: number;
  budgetSeconds: number;
  /** Also run the pure (no native kernels) variants. */
  pure: boolean;
  /** W5's imported model and images, or why it is skipped. */
  w5: W5Inputs;
  /** RFW_NATIVE_KERNELS and RFW_KERNEL_THREADS, as bench-main read them at start. */
  settings: EngineSettings;
}

/** What every row of one variant shares. */
interface VariantContext {
  engine: string;
  kernelThreads: number | null;
  /** '2 native threads', '1 wasm thread': the note's first words. */
  threadsNote: string;
  nativeKernels: string | null;
}

/** Threads of this (main) thread's native kernels, as the addon reports them. */
function nativeThreads(settings: EngineSettings): number | null {
  const load = loadNativeAddon(settings);
  return load.ok ? load.addon.blasInfo().threads : null;
}

/**
 * The threads of the kernels that do the math. The backend's own: the cpu backend is plain
 * JavaScript (one thread); the wasm backend's thread count is what its module started with
 * (one under Node, which gives it no pthreads).
 */
function variantThreads(
  variant: EngineVariant,
  settings: EngineSettings,
): Pick<VariantContext, 'kernelThreads' | 'threadsNote'> {
  if (variant.nativeKernels === true) {
    const threads = nativeThreads(settings);
    return {
      kernelThreads: threads,
      threadsNote: threads === null ? '' : plural(threads, 'native thread'),
    };
  }
  if (variant.backend === 'wasm') {
    const threads = getThreadsCount();
    return { kernelThreads: threads, threadsNote: plural(threads, 'wasm thread') };
  }
  if (variant.backend === 'cpu') return { kernelThreads: 1, threadsNote: '1 js thread' };
  return { kernelThreads: null, threadsNote: '' };
}

/** A row with no figure: the variant could not run, or the workload threw. */
function emptyRow(
  workload: Workload,
  context: VariantContext,
  method: 'skipped' | 'failed',
  reason: string,
): ResultRow {
  return {
    workload: workload.name,
    engine: context.engine,
    seconds: null,
    rate: null,
    rateUnit: workload.rateUnit,
    ratioToTorch: null,
    method,
    note: `${method}: ${reason}`,
    kernelThreads: null,
    engineWorkers: null,
    nativeKernels: context.nativeKernels,
  };
}

function skippedRows(context: VariantContext, reason: string): ResultRow[] {
  return workloads.map((workload) => emptyRow(workload, context, 'skipped', reason));
}

/**
 * A full run takes many minutes: one workload that throws is a row marked failed, not the end
 * of the bench (the workload's tensors and the variant's kernel state are released in finally).
 */
function measureOrFail(
  workload: Workload,
  context: VariantContext,
  options: EngineBenchOptions,
  torch: TorchResults | null,
): ResultRow {
  if (workload.name === 'W5' && 'skipped' in options.w5) {
    return emptyRow(workload, context, 'skipped', options.w5.skipped);
  }
  try {
    return measureWorkload(workload, context, options, torch);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return emptyRow(workload, context, 'failed', message.split('\n')[0] ?? message);
  }
}

/** How a timing came about, for the note: "median of [..] s", "×16 from batch-8 probes [..] s". */
function describeTiming(timing: Timing, workload: Workload): string {
  const samples = `[${timing.samples.map((s) => s.toFixed(2)).join(', ')}] s`;
  if (timing.basis === 'runs') return `median of ${samples}`;
  if (timing.basis === 'warm-up') return `extrapolated from the warm-up ${samples}`;
  const probes = workload.fullUnits === 1 ? 'a 1-step probe' : '1- and 2-step probes';
  if (timing.batchDivisor === 1) return `extrapolated from ${probes} ${samples}`;
  const batch = workload.batch / timing.batchDivisor;
  return `extrapolated ×${timing.batchDivisor} from ${probes} at batch ${batch} ${samples}`;
}

function measureWorkload(
  workload: Workload,
  context: VariantContext,
  options: EngineBenchOptions,
  torch: TorchResults | null,
): ResultRow {
  const prepared: PreparedWorkload[] = [];
  let tensorsAfterWarmUp = 0;
  try {
    const full = prepareWorkload(workload, workload.batch, options.w5);
    prepared.push(full);
    const scout = prepareWorkload(workload, workload.batch / SCOUT_DIVISOR, options.w5);
    prepared.push(scout);
    const runs = { full: full.run, scout: scout.run, divisor: SCOUT_DIVISOR };
    const timing = measureWithScout(runs, workload.fullUnits, {
      repeats: options.repeats,
      budgetSeconds: options.budgetSeconds,
      afterWarmUp: () => {
        tensorsAfterWarmUp = tf.memory().numTensors;
      },
    });
    const leaked = tf.memory().numTensors - tensorsAfterWarmUp;
    const note = [
      context.threadsNote,
      describeTiming(timing, workload),
      leaked !== 0 ? `${leaked} tensors leaked` : '',
    ];
    return {
      workload: workload.name,
      engine: context.engine,
      seconds: timing.seconds,
      rate: workload.work / timing.seconds,
      rateUnit: workload.rateUnit,
      ratioToTorch: ratio(timing.seconds, torch, workload.name),
      method: timing.method,
      note: note.filter((part) => part !== '').join('; '),
      kernelThreads: context.kernelThreads,
      engineWorkers: null,
      nativeKernels: context.nativeKernels,
    };
  } finally {
    for (const workload of prepared) workload.dispose();
  }
}

function runWorkloads(
  context: VariantContext,
  options: EngineBenchOptions,
  torch: TorchResults | null,
): ResultRow[] {
  console.error(`engine: ${context.engine} …`);
  return workloads.map((workload) => {
    const row = measureOrFail(workload, context, options, torch);
    const seconds = row.seconds?.toFixed(2) ?? '?';
    console.error(`  ${workload.name} on ${context.engine}: ${seconds} s (${row.method})`);
    return row;
  });
}

function benchVariant(
  variant: EngineVariant,
  status: BackendStatus,
  options: EngineBenchOptions,
  torch: TorchResults | null,
): ResultRow[] {
  const native = status.nativeKernels;
  const context: VariantContext = {
    engine: `rfw ${variantName(variant.backend, variant.nativeKernels)}`,
    ...variantThreads(variant, options.settings),
    nativeKernels: variant.nativeKernels === true ? (native?.detail ?? null) : null,
  };
  if (variant.nativeKernels === true) {
    return native?.active
      ? runWorkloads(context, options, torch)
      : skippedRows(context, native?.detail ?? 'no native kernels for this backend');
  }
  if (variant.nativeKernels === false && isNativeBackend(variant.backend)) {
    const backend = variant.backend;
    unregisterNativeKernels(backend);
    try {
      return runWorkloads(context, options, torch);
    } finally {
      if (native?.active) registerNativeKernels(backend, options.settings);
    }
  }
  return runWorkloads(context, options, torch);
}

/**
 * W5's model through the workbench's importer (which runs a probe, so on the selected backend)
 * and its images; the reason instead where there is no file or the import fails.
 */
async function loadW5(source: W5Source): Promise<W5Inputs> {
  if ('skipped' in source) return source;
  try {
    const [, c, h, w] = source.shape;
    const model = await importOnnxFile(source.onnx, {
      target: { name: 'preact-resnet18', imageShape: [h, w, c], numClasses: 10 },
      inputRange: [0, 1],
    });
    // A copy, so that the floats start on a 4-byte boundary whatever the Buffer's offset.
    const images = new Float32Array(new Uint8Array(readFileSync(source.images)).buffer);
    return { model, images, shape: source.shape };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { skipped: `ONNX import failed: ${message.split('\n')[0] ?? message}` };
  }
}

/** Every variant of one backend; all skipped, with the reason, when it does not load. */
export async function benchBackend(
  backend: BackendName,
  benchOptions: Omit<EngineBenchOptions, 'w5'>,
  torch: TorchResults | null,
  w5Source: W5Source,
): Promise<ResultRow[]> {
  const status = await selectBackend(backend, {
    forcedBy: 'bench',
    settings: benchOptions.settings,
  });
  const variants = variantsOf(backend, benchOptions.pure);
  if (status.active !== backend) {
    const reason = status.attempts.find((a) => a.backend === backend)?.reason ?? 'did not load';
    return variants.flatMap((variant) =>
      skippedRows(
        {
          engine: `rfw ${variantName(backend, variant.nativeKernels)}`,
          kernelThreads: null,
          threadsNote: '',
          nativeKernels: null,
        },
        reason,
      ),
    );
  }
  const options: EngineBenchOptions = { ...benchOptions, w5: await loadW5(w5Source) };
  return variants.flatMap((variant) => benchVariant(variant, status, options, torch));
}
