/**
 * `npm run bench`: workloads W1–W4 of issue 3 on every backend the engine can load, the same
 * workloads in PyTorch (bench/torch_reference.py), and the workbench's own attack and training
 * jobs through the job runner. Prints a table and writes it as JSON to out/bench-results.json.
 *
 *   node out/main/bench.js [--quick] [--backends wasm,cpu] [--repeats N] [--budget SECONDS]
 *                          [--no-torch] [--no-jobs]
 *
 * --quick: one repeat, a small per-workload budget (so most figures are extrapolated from 1–2
 * step probes), fewer job steps, and only the wasm backend unless --backends says otherwise.
 * Built by electron-vite into out/main/bench.js, next to engine-worker.js.
 */
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { BackendName } from '../src-main/common/schemas';
import { backendCandidates } from '../src-main/engine/backend/backend-candidates';
import { selectBackend } from '../src-main/engine/backend/select-backend';
import { engineVersion } from '../src-main/engine/engine-version';
import { measureJobs } from './job-workloads';
import { measure } from './measure';
import { formatTable, writeJson, type ResultRow } from './report';
import {
  installHint,
  runTorchReference,
  torchAvailable,
  type TorchResults,
} from './torch-reference';
import { prepareWorkload, workloads, type WorkloadName } from './workloads';

interface BenchOptions {
  quick: boolean;
  backends: BackendName[];
  repeats: number;
  budgetSeconds: number;
  torch: boolean;
  jobs: boolean;
}

function parseOptions(argv: readonly string[]): BenchOptions {
  const valueOf = (flag: string): string | undefined => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const known = ['--quick', '--backends', '--repeats', '--budget', '--no-torch', '--no-jobs'];
  for (const arg of argv) {
    if (arg.startsWith('--') && !known.includes(arg)) {
      throw new Error(`unknown option ${arg}; known: ${known.join(' ')}`);
    }
  }
  const quick = argv.includes('--quick');
  const backendsText = valueOf('--backends');
  const backends = backendsText
    ? backendsText.split(',').map((name) => BackendName.parse(name.trim()))
    : quick
      ? (['wasm'] as BackendName[])
      : backendCandidates.map((c) => c.name);
  return {
    quick,
    backends,
    repeats: Number(valueOf('--repeats') ?? (quick ? 1 : 3)),
    budgetSeconds: Number(valueOf('--budget') ?? (quick ? 5 : 150)),
    torch: !argv.includes('--no-torch'),
    jobs: !argv.includes('--no-jobs'),
  };
}

function ratio(
  seconds: number | null,
  torch: TorchResults | null,
  name: WorkloadName,
): number | null {
  const reference = torch?.workloads[name]?.seconds;
  return seconds === null || reference === undefined ? null : seconds / reference;
}

async function benchBackend(
  backend: BackendName,
  options: BenchOptions,
  torch: TorchResults | null,
): Promise<ResultRow[]> {
  const engine = `rfw ${backend}`;
  const status = await selectBackend(backend, { forcedBy: 'bench' });
  if (status.active !== backend) {
    const reason = status.attempts.find((a) => a.backend === backend)?.reason ?? 'did not load';
    return workloads.map((w) => ({
      workload: w.name,
      engine,
      seconds: null,
      rate: null,
      rateUnit: w.rateUnit,
      ratioToTorch: null,
      method: 'skipped',
      note: `skipped: ${reason}`,
    }));
  }
  const rows: ResultRow[] = [];
  for (const workload of workloads) {
    const prepared = prepareWorkload(workload.name);
    let tensorsAfterWarmUp = 0;
    try {
      const timing = measure(prepared.run, workload.fullUnits, {
        repeats: options.repeats,
        budgetSeconds: options.budgetSeconds,
        afterWarmUp: () => {
          tensorsAfterWarmUp = tf.memory().numTensors;
        },
      });
      const leaked = tf.memory().numTensors - tensorsAfterWarmUp;
      const samples = timing.samples.map((s) => s.toFixed(2)).join(', ');
      rows.push({
        workload: workload.name,
        engine,
        seconds: timing.seconds,
        rate: workload.work / timing.seconds,
        rateUnit: workload.rateUnit,
        ratioToTorch: ratio(timing.seconds, torch, workload.name),
        method: timing.method,
        note:
          (timing.method === 'measured'
            ? `median of [${samples}] s`
            : `extrapolated from 1- and 2-step probes [${samples}] s`) +
          (leaked !== 0 ? `; ${leaked} tensors leaked` : ''),
      });
    } finally {
      prepared.dispose();
    }
    const last = rows[rows.length - 1];
    console.error(
      `  ${workload.name} on ${backend}: ${last?.seconds?.toFixed(2) ?? '?'} s (${last?.method ?? '?'})`,
    );
  }
  return rows;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const loadStart = loadavg();
  const startedAt = new Date().toISOString();
  const rows: ResultRow[] = [];

  let torch: TorchResults | null = null;
  let torchNote: string | null = null;
  if (options.torch) {
    if (torchAvailable()) {
      console.error('running bench/torch_reference.py …');
      try {
        torch = runTorchReference(
          join(__dirname, '..', '..', 'bench', 'torch_reference.py'),
          options.repeats,
        );
        const reference = torch;
        for (const workload of workloads) {
          const result = reference.workloads[workload.name];
          if (!result) continue;
          rows.push({
            workload: workload.name,
            engine: `pytorch ${reference.torch}`,
            seconds: result.seconds,
            rate: workload.work / result.seconds,
            rateUnit: workload.rateUnit,
            ratioToTorch: 1,
            method: 'measured',
            note: `${reference.threads} threads; median of [${result.samples.map((s) => s.toFixed(2)).join(', ')}] s`,
          });
        }
      } catch (error) {
        torch = null;
        torchNote = error instanceof Error ? error.message : String(error);
        console.log(torchNote);
      }
    } else {
      torchNote = installHint;
      console.log(installHint);
    }
  }

  for (const backend of options.backends) {
    console.error(`engine on ${backend} …`);
    rows.push(...(await benchBackend(backend, options, torch)));
  }

  if (options.jobs) {
    console.error('workbench jobs through the job runner …');
    const jobTimings = await measureJobs({
      engineWorkerPath: join(__dirname, 'engine-worker.js'),
      forcedBackend: null,
      repeats: options.repeats,
      attackSteps: options.quick ? 2 : 20,
      trainingAttackSteps: options.quick ? 1 : 7,
    });
    for (const job of jobTimings) {
      const workload = workloads.find((w) => w.name === job.workload);
      const fullSteps = workload?.fullUnits ?? job.steps;
      const work = job.workload === 'W1' ? 128 * job.steps : 128;
      rows.push({
        workload: job.name,
        engine: `rfw job (${job.backend})`,
        seconds: job.seconds,
        rate: work / job.seconds,
        rateUnit: workload?.rateUnit ?? '',
        // A ratio only where the job ran the workload's full step count.
        ratioToTorch: job.steps === fullSteps ? ratio(job.seconds, torch, job.workload) : null,
        method: 'measured',
        note:
          `${job.steps} attack steps; start → job.finished, median of [${job.samples.map((s) => s.toFixed(2)).join(', ')}] s` +
          (job.workload === 'W2' ? '; includes epoch-end evaluation on 16 test images' : ''),
      });
    }
  }

  console.log(formatTable(rows));
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
      loadAverageAtEnd: loadavg(),
    },
    torch: torch === null ? { skipped: torchNote ?? 'not requested (--no-torch)' } : torch,
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
