/**
 * What every CLI command works with: the workbench, its parsed options, and the two output modes.
 * With --json a command prints exactly one JSON document on stdout (its result) and sends its
 * progress lines to stderr, so `rfw … --json | jq` always sees valid JSON.
 */
import type { MethodName, MethodOutput } from '../../common/contract';
import type { DatasetSummary } from '../../common/dataset-schemas';
import type { ModelSummary } from '../../common/model-schemas';
import type { JobStarted } from '../../common/run-schemas';
import type { Workbench } from '../../core/workbench';
import { dispatchCall } from '../dispatch';
import type { CliArguments } from './cli-arguments';
import { ranges } from './option-ranges';

/** The contract methods that start a job and answer with its job and run ids. */
type JobStartMethod = {
  [M in MethodName]: MethodOutput<M> extends JobStarted ? M : never;
}[MethodName];

export class CliSession {
  readonly json: boolean;

  constructor(
    readonly workbench: Workbench,
    readonly args: CliArguments,
    /** Words after the command and before the first option, e.g. an experiment's type. */
    readonly words: readonly string[] = [],
    /** The options as typed, for commands that pass them on (bench). */
    readonly rawOptions: readonly string[] = [],
  ) {
    this.json = args.flag('json');
  }

  /**
   * Calls a contract method with the same validation the UI gets (the input is built from text
   * options, so it is checked at run time, not typed); a failure throws its message.
   */
  async call<M extends MethodName>(method: M, input: unknown): Promise<MethodOutput<M>> {
    const outcome = await dispatchCall(this.workbench, method, input);
    if (!outcome.ok) throw new Error(outcome.error.message);
    return outcome.output as MethodOutput<M>;
  }

  /** A line for people: stdout normally, stderr in --json mode. */
  say(line: string): void {
    if (this.json) console.error(line);
    else console.log(line);
  }

  /** The command's result: JSON in --json mode, else the human-readable lines. */
  result(value: unknown, lines: () => string[]): void {
    if (this.json) console.log(JSON.stringify(value, null, 2));
    else for (const line of lines()) console.log(line);
  }

  /** --dataset, or the project's first dataset. */
  async datasetId(): Promise<number> {
    return (await this.dataset()).id;
  }

  /** The dataset --dataset names (or, given `fallbackId`, that one; else the project's first). */
  async dataset(fallbackId?: number): Promise<DatasetSummary> {
    const explicit = this.args.number('dataset', ranges.id);
    const datasets = await this.call('datasets.list', {});
    const id = explicit ?? fallbackId;
    if (id === undefined) {
      if (!datasets[0]) throw new Error('the project has no dataset');
      return datasets[0];
    }
    const dataset = datasets.find((d) => d.id === id);
    if (!dataset) throw new Error(`--dataset: there is no dataset ${id} in the project`);
    return dataset;
  }

  /** The model --model (or `option`) names, which must be in the project. */
  async model(option = 'model'): Promise<ModelSummary> {
    const id = this.args.requiredNumber(option, ranges.id, 'ID');
    const model = (await this.call('models.list', {})).find((m) => m.id === id);
    if (!model) throw new Error(`--${option}: there is no model ${id} in the project`);
    return model;
  }

  /** Waits for a dataset import or export, printing its progress every 2 s. */
  followTask(taskId: string): Promise<TaskEnd> {
    return new Promise((resolveEnd) => {
      let lastPrinted = 0;
      const unsubscribe = this.workbench.subscribe((event, payload) => {
        if (event === 'dataset.progress') {
          const progress = payload as { taskId: string; fraction: number; message: string };
          if (progress.taskId !== taskId || Date.now() - lastPrinted < 2000) return;
          lastPrinted = Date.now();
          this.say(`${(progress.fraction * 100).toFixed(1)}% ${progress.message}`);
        } else if (event === 'dataset.finished') {
          const end = payload as TaskEnd & { taskId: string };
          if (end.taskId !== taskId) return;
          unsubscribe();
          if (end.error) console.error(`failed: ${end.error}`);
          resolveEnd(end);
        }
      });
    });
  }

  /**
   * Says that a job's run started ("evaluation run 7 started", then `detail`) and follows the job
   * to its end (see follow); resolves its end state.
   */
  followRun(
    started: { jobId: string; runId: number },
    what: string,
    detail = '',
  ): Promise<'completed' | 'failed' | 'cancelled'> {
    this.say(`${what} run ${started.runId} started${detail}`);
    return this.follow(started.jobId);
  }

  /**
   * Starts a job (`start`, e.g. 'jobs.startEvaluation'), follows its run to the end (followRun)
   * and, when it completed, reads the run's result with `read` (e.g. 'runs.evaluationResult');
   * null when it failed or was cancelled.
   */
  async runJob<R extends MethodName>(
    start: JobStartMethod,
    input: unknown,
    what: string,
    read: R,
    detail = '',
  ): Promise<MethodOutput<R> | null> {
    const started: JobStarted = await this.call(start, input);
    const state = await this.followRun(started, what, detail);
    return state === 'completed' ? this.call(read, { runId: started.runId }) : null;
  }

  /** Waits for a job, printing progress every 2 s and epoch-end metrics; resolves its end state. */
  follow(jobId: string): Promise<'completed' | 'failed' | 'cancelled'> {
    return new Promise((resolveFinished) => {
      let lastPrinted = 0;
      const unsubscribe = this.workbench.subscribe((event, payload) => {
        if (event === 'job.progress') {
          const progress = payload as EventProgress;
          if (progress.jobId !== jobId || Date.now() - lastPrinted < 2000) return;
          lastPrinted = Date.now();
          const eta =
            progress.etaSeconds === null ? '' : ` · ETA ${Math.round(progress.etaSeconds)} s`;
          this.say(`${(progress.fraction * 100).toFixed(1)}% ${progress.message}${eta}`);
        } else if (event === 'job.metrics') {
          const { step, values } = payload as { step: number; values: Record<string, number> };
          if (Object.keys(values).some((key) => key.includes('test.'))) {
            this.say(
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
}

/** How a dataset import or export ended. */
export interface TaskEnd {
  state: 'completed' | 'failed' | 'cancelled';
  error: string | null;
  result: {
    datasetId: number | null;
    folder: string | null;
    files: number;
    summary: string;
    notes: string[];
  } | null;
}

interface EventProgress {
  jobId: string;
  fraction: number;
  message: string;
  etaSeconds: number | null;
}

/** One subcommand: its usage line and what it does against an open project. */
export interface CliCommand {
  name: string;
  /** Options, as shown by `rfw help`. */
  usage: string;
  /** Whether the command opens --project first (demo creates it instead). */
  opensProject: boolean;
  /**
   * Whether the command only reads the project (list, export), so that it may open it read-only
   * alongside another workbench that has it open.
   */
  readOnly?: boolean;
  /** Whether --project is required at all (bench works without one). */
  needsProject: boolean;
  /** Returns the process exit code. */
  run(session: CliSession): Promise<number>;
}
