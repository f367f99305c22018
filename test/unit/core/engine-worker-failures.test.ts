/**
 * The engine client and pool when the worker misbehaves (test/unit/core/fixtures/misbehaving-
 * engine-worker.mjs): a message that does not parse, a worker that exits or crashes mid-job, and a
 * job handler that throws inside the worker's 'message' event. Each fails the job it hit with a
 * readable message; the next queued job runs on a fresh worker; nothing becomes an uncaught
 * exception. (A hang here would be a stuck queue: the file's timeout turns it into a failure.)
 */
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EngineClient } from '../../../src-main/core/engine-client';
import { EnginePool } from '../../../src-main/core/engine-pool';
import { JobRunner } from '../../../src-main/core/job-runner';
import { diskFull, fakeJob, fakeSpec, jobEnds, watchUncaught } from './fake-jobs';

const workerPath = resolve('test/unit/core/fixtures/misbehaving-engine-worker.mjs');

describe('a misbehaving engine worker', { timeout: 30_000 }, () => {
  let uncaught: ReturnType<typeof watchUncaught>;
  let pool: EnginePool;
  let runner: JobRunner;
  let ends: ReturnType<typeof jobEnds>;

  beforeEach(() => {
    uncaught = watchUncaught();
    pool = new EnginePool(workerPath, null, 1, () => {});
    ends = jobEnds();
    runner = new JobRunner(pool, ends.emit, () => ({ backend: 'cpu', engineVersion: 'fake' }));
  });

  afterEach(async () => {
    await pool.terminate();
    uncaught.stop();
    expect(uncaught.seen).toEqual([]);
  });

  async function failsThenNextRuns(failing: ReturnType<typeof fakeJob>) {
    const first = runner.enqueue(failing.definition);
    const healthy = fakeJob(2, 'ok');
    const second = runner.enqueue(healthy.definition);
    const end = await ends.end(first);
    expect(await ends.end(second)).toEqual({ state: 'completed', error: null });
    expect(end.state).toBe('failed');
    expect(failing.calls.failed).toEqual([end.error]);
    return end.error;
  }

  it('a null message', async () => {
    expect(await failsThenNextRuns(fakeJob(1, 'null-message'))).toBe(
      'the engine stopped following its protocol (the engine sent a null message)',
    );
  });

  it('a message of a type the protocol does not have', async () => {
    expect(await failsThenNextRuns(fakeJob(1, 'unknown-type'))).toBe(
      'the engine stopped following its protocol (the engine sent a message of unknown type "surprise")',
    );
  });

  it('a worker that exits mid-job', async () => {
    expect(await failsThenNextRuns(fakeJob(1, 'exit'))).toBe('the engine worker exited (code 3)');
  });

  it("a worker that crashes mid-job (its late 'exit' does not fail the next job)", async () => {
    expect(await failsThenNextRuns(fakeJob(1, 'crash'))).toBe(
      'the engine worker crashed: the engine fell over',
    );
  });

  it("a metrics handler that throws inside the worker's message event", async () => {
    const job = fakeJob(1, 'metrics', {
      onMetrics: () => {
        throw diskFull();
      },
    });
    expect(await failsThenNextRuns(job)).toBe(
      'the disk is full: could not write the metrics of step 1',
    );
  });

  it('a checkpoint that cannot be stored stops the job in the worker', async () => {
    const job = fakeJob(1, 'checkpoint', {
      onCheckpoint: () => {
        throw diskFull();
      },
    });
    expect(await failsThenNextRuns(job)).toBe(
      'the disk is full: could not write the checkpoint of epoch 1',
    );
  });
});

/**
 * Who answers a cancel. A job that notices its flag answers 'cancelled' itself; one that ignores
 * it is closed by the client after its grace period, its worker terminated. Both runs end
 * cancelled, so the outcome says which it was (the real worker's cancel test relies on it).
 */
describe('a cancelled job on the engine client', { timeout: 30_000 }, () => {
  let uncaught: ReturnType<typeof watchUncaught>;
  let client: EngineClient;
  /** How many workers said 'ready': one per worker started. */
  let workersStarted: number;

  beforeEach(() => {
    uncaught = watchUncaught();
    workersStarted = 0;
    client = new EngineClient(workerPath, null, () => (workersStarted += 1));
  });

  afterEach(async () => {
    await client.terminate();
    uncaught.stop();
    expect(uncaught.seen).toEqual([]);
  });

  /** Runs a job of `behaviour` and cancels it at its first progress report. */
  function cancelAtProgress(jobId: string, behaviour: string) {
    const reports: string[] = [];
    const outcome = client.run(jobId, fakeSpec(behaviour), [], {
      onProgress: (_fraction, message) => {
        reports.push(message);
        client.cancel(jobId);
      },
      onMetrics: () => {},
    });
    return { outcome, reports };
  }

  it('that answers the cancel ends cancelled by the worker, which goes on serving', async () => {
    const job = cancelAtProgress('answers', 'progress-then-cancel');
    expect(await job.outcome).toEqual({ state: 'cancelled', by: 'worker' });
    expect(job.reports).toEqual(['half']);
    const next = await client.run('next', fakeSpec('ok'), [], {
      onProgress: () => {},
      onMetrics: () => {},
    });
    expect(next.state).toBe('completed');
    expect(workersStarted).toBe(1);
  });

  it('that ignores the cancel is closed by the client, and the next job gets a fresh worker', async () => {
    const job = cancelAtProgress('ignores', 'ignore-cancel');
    expect(await job.outcome).toEqual({ state: 'cancelled', by: 'client' });
    expect(job.reports).toEqual(['half']);
    const next = await client.run('next', fakeSpec('ok'), [], {
      onProgress: () => {},
      onMetrics: () => {},
    });
    expect(next.state).toBe('completed');
    expect(workersStarted).toBe(2);
  });
});
