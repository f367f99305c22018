/**
 * `npm run bench`: workloads W1–W4 of issue 3 and W5 of issue 13 (PGD-10 through a PreAct
 * ResNet-18 imported from ONNX) on every backend the engine can load, the same workloads in
 * PyTorch (bench/torch_reference.py, which also exports W5's model into a temp folder), and the workbench's own attack and training
 * jobs through the job runner. Prints a table and writes it as JSON to out/bench-results.json.
 *
 *   node out/main/bench.js [--quick] [--backends wasm,cpu] [--repeats N] [--budget SECONDS]
 *                          [--no-pure] [--no-torch] [--no-jobs]
 *
 * Every variant runs in the same process, so one run gives issue 3's "before and after": wasm
 * and cpu with the native kernels in front ("rfw wasm+native", the workbench's default) and with
 * their own kernels alone ("rfw wasm"; --no-pure skips these), and the attack job on the
 * workbench's default pool against a single worker.
 *
 * --quick: one repeat, a small per-workload budget (so most figures are extrapolated from 1–2
 * step probes), fewer job steps, and only the wasm backend unless --backends says otherwise.
 * Built by electron-vite into out/main/bench.js, next to engine-worker.js.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  engineSettingsOf,
  readEnvironmentSettings,
  type EnvironmentSettings,
} from '../src-main/common/environment-settings';
import { engineVersion } from '../src-main/engine/engine-version';
import { appVersion } from '../src-main/shells/app-version';
import { workbenchOptions } from '../src-main/shells/workbench-options';
import { parseOptions, type BenchOptions } from './bench-options';
import { benchBackend } from './engine-bench';
import { measureJobs, type JobTiming } from './job-workloads';
import { formatFootnotes, formatTable, plural, writeJson, type ResultRow } from './report';
import {
  installHint,
  ratio,
  runTorchReference,
  torchAvailable,
  type TorchResults,
} from './torch-reference';
import { workloads, type W5Source } from './workloads';

interface TorchOutcome {
  torch: TorchResults | null;
  /** Why there is no reference (install hint or the script's error); null when there is. */
  skipped: string | null;
}

function runTorch(options: BenchOptions, onnxDir: string): TorchOutcome {
  if (!options.torch) return { torch: null, skipped: 'not requested (--no-torch)' };
  if (!torchAvailable()) return { torch: null, skipped: installHint };
  console.error('running bench/torch_reference.py …');
  try {
    const script = join(__dirname, '..', '..', 'bench', 'torch_reference.py');
    return { torch: runTorchReference(script, options.repeats, onnxDir), skipped: null };
  } catch (error) {
    return { torch: null, skipped: error instanceof Error ? error.message : String(error) };
  }
}

function torchRows(reference: TorchResults): ResultRow[] {
  return workloads.flatMap((workload) => {
    const result = reference.workloads[workload.name];
    if (!result) return [];
    const samples = result.samples.map((s) => s.toFixed(2)).join(', ');
    return [
      {
        workload: workload.name,
        engine: `pytorch ${reference.torch}`,
        seconds: result.seconds,
        rate: workload.work / result.seconds,
        rateUnit: workload.rateUnit,
        ratioToTorch: 1,
        method: 'measured' as const,
        note: `${reference.threads} threads; median of [${samples}] s`,
        kernelThreads: reference.threads,
        engineWorkers: null,
        nativeKernels: null,
      },
    ];
  });
}

/**
 * Pool sizes the jobs compare: the workbench's own default (RFW_ENGINE_WORKERS, else one
 * worker per core up to 4) and a single worker.
 */
function jobPoolSizes(settings: EnvironmentSettings): number[] {
  const pool = workbenchOptions('cli', __dirname, settings, appVersion).engineWorkers;
  return pool === 1 ? [1] : [pool, 1];
}

function jobRow(job: JobTiming, torch: TorchResults | null): ResultRow {
  const workload = workloads.find((w) => w.name === job.workload);
  const fullSteps = workload?.fullUnits ?? job.steps;
  const work = job.workload === 'W1' ? 128 * job.steps : 128;
  const runsOn =
    plural(job.concurrentWorkers, 'worker') +
    (job.kernelThreads === null ? '' : ` × ${plural(job.kernelThreads, 'native thread')}`);
  const samples = job.samples.map((s) => s.toFixed(2)).join(', ');
  return {
    workload: job.name,
    engine: `rfw job (${job.engine}, pool ${job.engineWorkers})`,
    seconds: job.seconds,
    rate: work / job.seconds,
    rateUnit: workload?.rateUnit ?? '',
    // A ratio only where the job ran the workload's full step count.
    ratioToTorch: job.steps === fullSteps ? ratio(job.seconds, torch, job.workload) : null,
    method: 'measured',
    note:
      `${runsOn}; ${plural(job.steps, 'attack step')}; median of [${samples}] s` +
      (job.workload === 'W2' ? '; with epoch-end evaluation of 16 images' : ''),
    kernelThreads: job.kernelThreads,
    engineWorkers: job.engineWorkers,
    nativeKernels: job.nativeKernels,
  };
}

async function jobRows(
  options: BenchOptions,
  settings: EnvironmentSettings,
  torch: TorchResults | null,
): Promise<ResultRow[]> {
  console.error('workbench jobs through the job runner …');
  const timings = await measureJobs({
    engineWorkerPath: join(__dirname, 'engine-worker.js'),
    forcedBackend: null,
    repeats: options.repeats,
    attackSteps: options.quick ? 2 : 20,
    trainingAttackSteps: options.quick ? 1 : 7,
    poolSizes: jobPoolSizes(settings),
    engineSettings: engineSettingsOf(settings),
  });
  // Attack rows of every pool first, then training: the pairs to compare sit together.
  const ordered = [...timings].sort((a, b) => a.workload.localeCompare(b.workload));
  return ordered.map((job) => jobRow(job, torch));
}

async function main(): Promise<void> {
  const settings = readEnvironmentSettings(process.env);
  const options = parseOptions(process.argv.slice(2));
  const loadStart = loadavg();
  const startedAt = new Date().toISOString();

  // W5's ONNX file and images: written by torch_reference.py, removed once every backend ran.
  const onnxDir = mkdtempSync(join(tmpdir(), 'rfw-bench-w5-'));
  const { torch, skipped } = runTorch(options, onnxDir);
  if (skipped !== null && options.torch) console.log(skipped);
  const w5: W5Source =
    torch?.w5 ??
    ({
      skipped: `PyTorch exports W5's model, and there is no PyTorch reference: ${skipped ?? 'no w5 in its output'}`,
    } as const);
  const rows: ResultRow[] = torch === null ? [] : torchRows(torch);
  try {
    for (const backend of options.backends) {
      rows.push(
        ...(await benchBackend(
          backend,
          { ...options, settings: engineSettingsOf(settings) },
          torch,
          w5,
        )),
      );
    }
  } finally {
    rmSync(onnxDir, { recursive: true, force: true });
  }
  if (options.jobs) rows.push(...(await jobRows(options, settings, torch)));

  console.log(formatTable(rows));
  const footnotes = formatFootnotes(rows);
  if (footnotes !== '') console.log(`\n${footnotes}`);
  // Two cores: another process's load skews every figure, so the table says what it was.
  const loadEnd = loadavg();
  const load = (values: number[]): string => values.map((v) => v.toFixed(2)).join(' ');
  console.log(`load average (1, 5, 15 min): ${load(loadStart)} at start, ${load(loadEnd)} at end`);
  const path = join(__dirname, '..', 'bench-results.json');
  writeJson(path, {
    startedAt,
    finishedAt: new Date().toISOString(),
    engine: engineVersion(),
    options,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      loadAverageAtStart: loadStart,
      loadAverageAtEnd: loadEnd,
    },
    torch: torch ?? { skipped },
    rows,
  });
  console.log(`\nwritten to ${path}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(
      `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exit(1);
  },
);
