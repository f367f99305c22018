/**
 * The job runner's heartbeat, on a fake clock and a fake engine that the test drives: a running
 * job's progress goes out once at its start and then every second, repeating the worker's latest
 * report while a step is long, with an ETA from the time so far; it stops with job.finished.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventName, EventPayload } from '../../../src-main/common/contract';
import type { JobHandlers, JobOutcome } from '../../../src-main/core/engine-client';
import { JobRunner, type JobEngine } from '../../../src-main/core/job-runner';
import { fakeJob } from './fake-jobs';

const ready = {
  backend: { active: 'cpu' as const, attempts: [], forcedBy: null, nativeKernels: null },
  engineVersion: 'fake',
};

/** Holds each job until the test ends it, handing the test the job's handlers. */
class HeldEngine implements JobEngine {
  handlers: JobHandlers | null = null;
  private finish: ((outcome: JobOutcome) => void) | null = null;

  async start() {
    return ready;
  }

  run(_jobId: string, _spec: unknown, _transfer: ArrayBuffer[], handlers: JobHandlers) {
    this.handlers = handlers;
    return new Promise<JobOutcome>((finish) => (this.finish = finish));
  }

  async runShards(): Promise<JobOutcome> {
    throw new Error('not used here');
  }

  cancel(): void {}

  async terminate(): Promise<void> {}

  end(outcome: JobOutcome): void {
    this.finish?.(outcome);
  }
}

type Event = { event: EventName; payload: EventPayload<EventName> };

describe('the job runner heartbeat', () => {
  let engine: HeldEngine;
  let events: Event[];
  let runner: JobRunner;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    engine = new HeldEngine();
    events = [];
    runner = new JobRunner(
      engine,
      (event, payload) => events.push({ event, payload }),
      () => ({ backend: 'cpu', engineVersion: 'fake' }),
    );
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  const progress = () =>
    events
      .filter((e) => e.event === 'job.progress')
      .map((e) => e.payload as EventPayload<'job.progress'>);

  it('reports the start, then the latest report every second until the job ends', async () => {
    const { jobId } = runner.enqueue(fakeJob(1, 'held').definition);
    await vi.advanceTimersByTimeAsync(0);
    expect(engine.handlers).not.toBeNull();
    expect(progress()).toMatchObject([{ jobId, fraction: 0, message: 'queued' }]);

    // The worker's report is kept, not sent: the next beat carries it.
    engine.handlers?.onProgress(0.25, 'epoch 1/4');
    await vi.advanceTimersByTimeAsync(999);
    expect(progress()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(progress()).toHaveLength(2);
    // A quarter done after 1 s: 3 s to go at that rate.
    expect(progress()[1]).toMatchObject({
      fraction: 0.25,
      message: 'epoch 1/4',
      elapsedSeconds: 1,
      etaSeconds: 3,
    });

    // A long step with no new report: the beat repeats the latest one.
    await vi.advanceTimersByTimeAsync(1000);
    expect(progress()).toHaveLength(3);
    expect(progress()[2]).toMatchObject({ fraction: 0.25, message: 'epoch 1/4' });

    engine.end({ state: 'cancelled', by: 'worker' });
    await vi.advanceTimersByTimeAsync(0);
    expect(events.at(-1)).toMatchObject({
      event: 'job.finished',
      payload: { jobId, state: 'cancelled' },
    });
    // No beat after the end.
    await vi.advanceTimersByTimeAsync(5000);
    expect(events.at(-1)?.event).toBe('job.finished');
    expect(progress()).toHaveLength(3);
  });
});
