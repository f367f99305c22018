/**
 * For job-runner tests without the engine: job definitions that record what the runner called
 * (and throw where a test says), a way to wait for a job's end, and a watch on the process for
 * errors that nothing caught.
 */
import Database from 'better-sqlite3';
import type { EventName, EventPayload } from '../../../src-main/common/contract';
import type { JobDefinition, PreparedJob } from '../../../src-main/core/job-runner';
import type { ModelImportJobSpec } from '../../../src-main/engine/protocol';

export interface Calls {
  started: number;
  metrics: number[];
  checkpoints: number[];
  completed: number;
  /** Each onFailed call's message, including those that threw. */
  failed: string[];
  cancelled: number;
}

/** A spec the fake engines recognise by its path ("ok", "crash", …). */
export function fakeSpec(behaviour: string): ModelImportJobSpec {
  return {
    kind: 'model-import',
    format: 'tfjs-layers',
    path: behaviour,
    inputRange: [0, 1],
    imageShape: [1, 1, 1],
    numClasses: 2,
    test: null,
  };
}

/** What better-sqlite3 throws when a write finds the disk full. */
export function diskFull(): Error {
  return new Database.SqliteError('database or disk is full', 'SQLITE_FULL');
}

type Callback =
  'onStarted' | 'onMetrics' | 'onCheckpoint' | 'onCompleted' | 'onFailed' | 'onCancelled';

/**
 * A job whose engine work is `behaviour`; `hooks` run after a callback was recorded (a hook that
 * throws makes that callback throw), `prepare` replaces the default one.
 */
export function fakeJob(
  runId: number,
  behaviour: string,
  hooks: Partial<Record<Callback, () => void>> & { prepare?: () => PreparedJob } = {},
): { definition: JobDefinition; calls: Calls } {
  const calls: Calls = {
    started: 0,
    metrics: [],
    checkpoints: [],
    completed: 0,
    failed: [],
    cancelled: 0,
  };
  const definition: JobDefinition = {
    runId,
    kind: 'import',
    prepare: hooks.prepare ?? (() => ({ spec: fakeSpec(behaviour), transfer: [] })),
    onStarted() {
      calls.started += 1;
      hooks.onStarted?.();
    },
    onMetrics(step) {
      calls.metrics.push(step);
      hooks.onMetrics?.();
    },
    onCheckpoint(checkpoint) {
      calls.checkpoints.push(checkpoint.epoch);
      hooks.onCheckpoint?.();
    },
    onCompleted() {
      calls.completed += 1;
      hooks.onCompleted?.();
    },
    onFailed(error) {
      calls.failed.push(error);
      hooks.onFailed?.();
    },
    onCancelled() {
      calls.cancelled += 1;
      hooks.onCancelled?.();
    },
  };
  return { definition, calls };
}

export interface JobEnd {
  state: string;
  error: string | null;
}

/** An emit for the runner, and the end of each job by its id. */
export function jobEnds(): {
  emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
  end(started: { jobId: string }): Promise<JobEnd>;
} {
  const ended = new Map<string, JobEnd>();
  const waiting = new Map<string, (end: JobEnd) => void>();
  return {
    emit(event, payload) {
      if (event !== 'job.finished') return;
      const { jobId, state, error } = payload as EventPayload<'job.finished'>;
      ended.set(jobId, { state, error });
      waiting.get(jobId)?.({ state, error });
    },
    end(started) {
      const known = ended.get(started.jobId);
      if (known) return Promise.resolve(known);
      return new Promise((done) => waiting.set(started.jobId, done));
    },
  };
}

/** Records every uncaught exception and unhandled rejection until stopped. */
export function watchUncaught(): { seen: unknown[]; stop(): void } {
  const seen: unknown[] = [];
  const note = (error: unknown) => seen.push(error);
  process.on('uncaughtException', note);
  process.on('unhandledRejection', note);
  return {
    seen,
    stop() {
      process.off('uncaughtException', note);
      process.off('unhandledRejection', note);
    },
  };
}
