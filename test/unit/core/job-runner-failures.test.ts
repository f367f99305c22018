/**
 * The job runner as the last line of defence, on a fake engine: whatever a job's callbacks,
 * prepare() or merge() throw, and however the engine call fails, the run ends failed with a
 * readable message, the next queued job still runs, and nothing reaches the process as an
 * uncaught exception or unhandled rejection.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobHandlers, JobOutcome } from '../../../src-main/core/engine-client';
import type { Shard } from '../../../src-main/core/engine-pool';
import { JobRunner, type JobEngine } from '../../../src-main/core/job-runner';
import type { JobResult, JobSpec } from '../../../src-main/engine/protocol';
import type { TrainingCheckpoint } from '../../../src-main/engine/engine-types';
import { diskFull, fakeJob, fakeSpec, jobEnds, watchUncaught } from './fake-jobs';

const result: JobResult = { kind: 'model-export', files: [] };
const ready = {
  backend: { active: 'cpu' as const, attempts: [], forcedBy: null, nativeKernels: null },
  engineVersion: 'fake',
};

/**
 * Runs each job by its spec's path: "ok"; "reports" (metrics of step 3 and the checkpoint of
 * epoch 2, then done, or cancelled when the runner cancels in between); "engine-failed";
 * "wait-for-cancel"; "rejects" (the engine call itself throws).
 */
class FakeEngine implements JobEngine {
  readonly cancelled = new Set<string>();
  private readonly waiting = new Map<string, () => void>();

  async start() {
    return ready;
  }

  async run(jobId: string, spec: JobSpec, _transfer: ArrayBuffer[], handlers: JobHandlers) {
    const behaviour = spec.kind === 'model-import' ? spec.path : 'ok';
    return this.behave(jobId, behaviour, handlers);
  }

  async runShards(
    jobId: string,
    shards: Shard[],
    handlers: JobHandlers,
    merge: (results: JobResult[]) => JobResult,
  ): Promise<JobOutcome> {
    for (const shard of shards) await this.run(jobId, shard.spec, shard.transfer, handlers);
    return { state: 'completed', result: merge(shards.map(() => result)) };
  }

  cancel(jobId: string): void {
    this.cancelled.add(jobId);
    this.waiting.get(jobId)?.();
  }

  async terminate(): Promise<void> {}

  private async behave(
    jobId: string,
    behaviour: string,
    handlers: JobHandlers,
  ): Promise<JobOutcome> {
    switch (behaviour) {
      case 'reports': {
        handlers.onMetrics(3, { loss: 1 });
        if (this.cancelled.has(jobId)) return { state: 'cancelled', by: 'worker' };
        handlers.onCheckpoint?.(checkpoint(2));
        if (this.cancelled.has(jobId)) return { state: 'cancelled', by: 'worker' };
        return { state: 'completed', result };
      }
      case 'engine-failed':
        return { state: 'failed', error: 'the engine ran out of memory' };
      case 'wait-for-cancel':
        if (!this.cancelled.has(jobId)) {
          await new Promise<void>((resume) => this.waiting.set(jobId, resume));
        }
        return { state: 'cancelled', by: 'worker' };
      case 'rejects':
        throw new Error('the engine worker could not be started');
      default:
        return { state: 'completed', result };
    }
  }
}

function checkpoint(epoch: number): TrainingCheckpoint {
  return {
    epoch,
    step: epoch * 10,
    weights: [],
    optimizer: { name: 'adam', iterations: 0, slots: [] },
    best: null,
    testAccuracy: 0.5,
  };
}

describe('the job runner when a job step throws', () => {
  let uncaught: ReturnType<typeof watchUncaught>;
  let engine: FakeEngine;
  let ends: ReturnType<typeof jobEnds>;
  let runner: JobRunner;
  const project = join(mkdtempSync(join(tmpdir(), 'rfw-runner-')), 'p.rfw');

  beforeEach(() => {
    uncaught = watchUncaught();
    engine = new FakeEngine();
    ends = jobEnds();
    runner = new JobRunner(
      engine,
      ends.emit,
      () => ({ backend: 'cpu', engineVersion: 'fake' }),
      () => project,
    );
  });

  afterEach(() => {
    uncaught.stop();
    expect(uncaught.seen).toEqual([]);
  });

  /** Enqueues the failing job and a healthy one behind it; checks that the second completes. */
  async function failsThenNextRuns(failing: ReturnType<typeof fakeJob>) {
    const first = runner.enqueue(failing.definition);
    const healthy = fakeJob(2, 'ok');
    const second = runner.enqueue(healthy.definition);
    const end = await ends.end(first);
    expect(await ends.end(second)).toEqual({ state: 'completed', error: null });
    expect(healthy.calls.completed).toBe(1);
    expect(end.state).toBe('failed');
    // The run's row is told the same message the person reads.
    expect(failing.calls.failed).toEqual([end.error]);
    return { end, jobId: first.jobId };
  }

  it('onStarted: the run fails with what could not be written', async () => {
    const job = fakeJob(1, 'ok', {
      onStarted: () => {
        throw new Error('no such table: runs');
      },
    });
    const { end } = await failsThenNextRuns(job);
    expect(end.error).toBe("could not write the run's start: no such table: runs");
  });

  it('onMetrics on a full disk: "the disk is full", the project and the space left', async () => {
    const job = fakeJob(1, 'reports', {
      onMetrics: () => {
        throw diskFull();
      },
    });
    const { end, jobId } = await failsThenNextRuns(job);
    expect(end.error).toMatch(
      new RegExp(
        `^the disk is full: could not write the metrics of step 3 to ${project} \\(\\d+\\.\\d MB free\\)$`,
      ),
    );
    // The job was stopped: no checkpoint after the metrics that could not be stored.
    expect(engine.cancelled.has(jobId)).toBe(true);
    expect(job.calls.checkpoints).toEqual([]);
  });

  it('onCheckpoint on a full disk names the epoch', async () => {
    const job = fakeJob(1, 'reports', {
      onCheckpoint: () => {
        throw diskFull();
      },
    });
    const { end } = await failsThenNextRuns(job);
    expect(end.error).toMatch(/^the disk is full: could not write the checkpoint of epoch 2 to /);
    expect(job.calls.completed).toBe(0);
  });

  it('onCompleted: a run whose results were not stored did not complete', async () => {
    const job = fakeJob(1, 'ok', {
      onCompleted: () => {
        throw new TypeError("Cannot read properties of undefined (reading 'weights')");
      },
    });
    const { end } = await failsThenNextRuns(job);
    expect(end.error).toBe(
      "could not write the run's results: Cannot read properties of undefined (reading 'weights')",
    );
  });

  it('onCancelled of a running job', async () => {
    const job = fakeJob(1, 'wait-for-cancel', {
      onCancelled: () => {
        throw diskFull();
      },
    });
    const first = runner.enqueue(job.definition);
    const healthy = fakeJob(2, 'ok');
    const second = runner.enqueue(healthy.definition);
    await new Promise<void>((resume) => setImmediate(resume));
    runner.cancel(first.jobId);
    const end = await ends.end(first);
    expect(await ends.end(second)).toEqual({ state: 'completed', error: null });
    expect(end.state).toBe('failed');
    expect(end.error).toMatch(/^the disk is full: could not write the run's end \(cancelled\) to /);
  });

  it('onCancelled of a queued job: the cancel call succeeds and the job ends failed', async () => {
    const running = runner.enqueue(fakeJob(1, 'wait-for-cancel').definition);
    const queued = fakeJob(2, 'ok', {
      onCancelled: () => {
        throw diskFull();
      },
    });
    const started = runner.enqueue(queued.definition);
    expect(() => runner.cancel(started.jobId)).not.toThrow();
    const end = await ends.end(started);
    expect(end.state).toBe('failed');
    expect(end.error).toMatch(/^the disk is full: could not write the run's end \(cancelled\)/);
    runner.cancel(running.jobId);
    expect((await ends.end(running)).state).toBe('cancelled');
  });

  it('onFailed on a full disk: the end is kept and written before the next job starts', async () => {
    let full = true;
    const job = fakeJob(1, 'engine-failed', {
      onFailed: () => {
        if (full) throw diskFull();
      },
    });
    const first = runner.enqueue(job.definition);
    const end = await ends.end(first);
    expect(end).toEqual({ state: 'failed', error: 'the engine ran out of memory' });
    expect(job.calls.failed).toEqual(['the engine ran out of memory']);

    full = false;
    const next = runner.enqueue(fakeJob(2, 'ok').definition);
    expect((await ends.end(next)).state).toBe('completed');
    // Retried once the disk had room: the run's row now says failed, with the engine's message.
    expect(job.calls.failed).toEqual([
      'the engine ran out of memory',
      'the engine ran out of memory',
    ]);
  });

  it('prepare: the run fails before the engine is asked', async () => {
    const job = fakeJob(1, 'ok', {
      prepare: () => {
        throw new Error('dataset 4 has no test images');
      },
    });
    const { end } = await failsThenNextRuns(job);
    expect(end.error).toBe('could not prepare the run: dataset 4 has no test images');
    expect(job.calls.started).toBe(0);
  });

  it("merge: the shards' results cannot be put together", async () => {
    const job = fakeJob(1, 'ok', {
      prepare: () => ({
        shards: [{ spec: fakeSpec('ok'), transfer: [], weight: 1 }],
        merge: () => {
          throw new RangeError('shard 2 is missing');
        },
      }),
    });
    const { end } = await failsThenNextRuns(job);
    expect(end.error).toBe("could not combine the shards' results: shard 2 is missing");
  });

  it('the engine call itself rejects', async () => {
    const { end } = await failsThenNextRuns(fakeJob(1, 'rejects'));
    expect(end.error).toBe(
      'could not run the job in the engine: the engine worker could not be started',
    );
  });

  it('a thrown value that is not an Error still gives a message', async () => {
    const job = fakeJob(1, 'ok', {
      onCompleted: () => {
        throw Object.create(null);
      },
    });
    const { end } = await failsThenNextRuns(job);
    expect(end.error).toBe(
      "could not write the run's results: an error that cannot be described (see the workbench log)",
    );
  });
});
