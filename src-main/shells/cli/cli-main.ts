/**
 * The CLI: the same core and the same contract validation as the UI, for scripted and
 * reproducible runs that write to the project file the UI opens.
 *
 *   node out/main/cli.js demo   --project FILE
 *   node out/main/cli.js train  --project FILE [--dataset ID] [--name NAME]
 *        [--arch small-cnn|madry-cnn|cifar-cnn] [--epochs N] [--batch N] [--lr X]
 *        [--optimizer sgd|momentum|adam] [--seed N] [--limit N]
 *        [--robust linf|l2 --eps X --steps N --step-size X [--warmup EPOCHS] [--no-random-start]]
 *   node out/main/cli.js attack --project FILE --model ID [--dataset ID] [--count N | --indices 1,2,3]
 *        [--method fgsm|pgd] [--constraint linf|l2] [--eps X] [--steps N] [--step-size X]
 *        [--restarts N] [--target CLASS] [--no-random-start] [--seed N]
 */
import type { MethodName } from '../../common/contract';
import type { AttackResult } from '../../common/schemas';
import { Workbench } from '../../core/workbench';
import { appVersion } from '../app-version';
import { dispatchCall } from '../dispatch';
import { workbenchOptions } from '../workbench-options';
import { CliArguments } from './cli-arguments';

async function call<T>(workbench: Workbench, method: MethodName, input: unknown): Promise<T> {
  const outcome = await dispatchCall(workbench, method, input);
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.output as T;
}

function perturbation(args: CliArguments, constraint: string) {
  const linf = constraint === 'linf';
  return {
    constraint,
    epsilon: args.number('eps', linf ? 0.3 : 2),
    steps: args.number('steps', linf ? 40 : 40),
    stepSize: args.number('step-size', linf ? 0.01 : 0.25),
    randomStart: !args.flag('no-random-start'),
  };
}

/** Waits for the job to finish, printing progress; resolves with its final state. */
function follow(
  workbench: Workbench,
  jobId: string,
): Promise<'completed' | 'failed' | 'cancelled'> {
  return new Promise((resolveFinished) => {
    let lastPrinted = 0;
    const unsubscribe = workbench.subscribe((event, payload) => {
      if (event === 'job.progress') {
        const progress = payload as {
          jobId: string;
          fraction: number;
          message: string;
          etaSeconds: number | null;
        };
        if (progress.jobId !== jobId || Date.now() - lastPrinted < 2000) return;
        lastPrinted = Date.now();
        const eta =
          progress.etaSeconds === null ? '' : ` · ETA ${Math.round(progress.etaSeconds)} s`;
        console.log(`${(progress.fraction * 100).toFixed(1)}% ${progress.message}${eta}`);
      } else if (event === 'job.metrics') {
        const { step, values } = payload as { step: number; values: Record<string, number> };
        if (Object.keys(values).some((key) => key.startsWith('test.'))) {
          console.log(
            `step ${step}: ${Object.entries(values)
              .map(([k, v]) => `${k}=${v.toFixed(4)}`)
              .join(' ')}`,
          );
        }
      } else if (event === 'job.finished') {
        const finished = payload as {
          jobId: string;
          state: 'completed' | 'failed' | 'cancelled';
          error: string | null;
        };
        if (finished.jobId !== jobId) return;
        unsubscribe();
        if (finished.error) console.error(`failed: ${finished.error}`);
        resolveFinished(finished.state);
      }
    });
  });
}

async function firstDatasetId(workbench: Workbench, args: CliArguments): Promise<number> {
  const explicit = args.number('dataset');
  if (explicit !== undefined) return explicit;
  const datasets = await call<{ id: number }[]>(workbench, 'datasets.list', {});
  if (!datasets[0]) throw new Error('the project has no dataset');
  return datasets[0].id;
}

async function run(workbench: Workbench, command: string, args: CliArguments): Promise<number> {
  const project = args.string('project');
  if (!project) throw new Error('--project FILE is required');
  if (command === 'demo') {
    args.rejectUnknown();
    const summary = workbench.projects.createDemo(project);
    console.log(`created ${summary.path} with the bundled MNIST dataset`);
    return 0;
  }
  await call(workbench, 'projects.open', { path: project });
  if (command === 'train') {
    const robust = args.string('robust');
    const config = {
      datasetId: await firstDatasetId(workbench, args),
      modelName: args.string(
        'name',
        robust ? `robust ${args.string('arch', 'small-cnn')}` : args.string('arch', 'small-cnn'),
      ),
      architecture: args.string('arch', 'small-cnn'),
      epochs: args.number('epochs', 2),
      batchSize: args.number('batch', 64),
      learningRate: args.number('lr', 0.001),
      optimizer: args.string('optimizer', 'adam'),
      seed: args.number('seed', 0),
      trainLimit: args.number('limit') ?? null,
      adversarial: robust ? perturbation(args, robust) : null,
      epsilonWarmupEpochs: args.number('warmup', 0),
    };
    args.rejectUnknown();
    const started = await call<{ jobId: string; runId: number }>(
      workbench,
      'jobs.startTraining',
      config,
    );
    console.log(`training run ${started.runId} started`);
    return (await follow(workbench, started.jobId)) === 'completed' ? 0 : 1;
  }
  if (command === 'attack') {
    const datasetId = await firstDatasetId(workbench, args);
    const indicesText = args.string('indices');
    let indices: number[];
    if (indicesText) {
      indices = indicesText.split(',').map((text) => Number(text.trim()));
    } else {
      const count = args.number('count', 100);
      const page = await call<{ items: { index: number }[] }>(workbench, 'datasets.page', {
        datasetId,
        split: 'test',
        offset: 0,
        limit: Math.min(2000, Math.max(1, count)),
      });
      indices = page.items.map((item) => item.index);
    }
    const target = args.number('target');
    const config = {
      modelId: args.number('model'),
      datasetId,
      indices,
      method: args.string('method', 'pgd'),
      perturbation: perturbation(args, args.string('constraint', 'linf')),
      restarts: args.number('restarts', 1),
      targetClass: target ?? null,
      seed: args.number('seed', 0),
    };
    args.rejectUnknown();
    const started = await call<{ jobId: string; runId: number }>(
      workbench,
      'jobs.startAttack',
      config,
    );
    console.log(`attack run ${started.runId} started on ${indices.length} images`);
    const state = await follow(workbench, started.jobId);
    if (state !== 'completed') return 1;
    const result = await call<AttackResult>(workbench, 'runs.attackResult', {
      runId: started.runId,
    });
    console.log(
      `clean accuracy ${(result.cleanAccuracy * 100).toFixed(2)}% · robust accuracy ${(result.robustAccuracy * 100).toFixed(2)}% on ${result.examples.length} images`,
    );
    return 0;
  }
  throw new Error(`unknown command "${command}": use demo, train or attack`);
}

async function main(): Promise<void> {
  const [command = 'help', ...rest] = process.argv.slice(2);
  if (command === 'help' || command === '--help') {
    console.log(
      'usage: cli.js demo|train|attack --project FILE [options]  (see src-main/shells/cli/cli-main.ts)',
    );
    return;
  }
  const workbench = new Workbench(workbenchOptions('cli', __dirname, process.env, appVersion));
  let code: number;
  try {
    code = await run(workbench, command, new CliArguments(rest));
  } finally {
    await workbench.dispose();
  }
  process.exit(code);
}

main().catch((error: unknown) => {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
});
