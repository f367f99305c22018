/**
 * What a long dataset task (import, export) is given: a cancel signal and a progress callback.
 * Tasks run on the main process's event loop, so they yield between pieces of work
 * (`checkpoint`) to keep every other call answering while they run.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

export interface TaskContext {
  /** Aborted when the person cancels; work stops at the next checkpoint. */
  signal: AbortSignal;
  /** fraction: 0..1 of this task's work; message: what it is doing now. */
  report(fraction: number, message: string): void;
}

export class TaskCancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'TaskCancelledError';
  }
}

/** Throws if the task was cancelled, then lets the event loop run queued work. */
export async function checkpoint(context: TaskContext): Promise<void> {
  if (context.signal.aborted) throw new TaskCancelledError();
  await nextTurn();
  if (context.signal.aborted) throw new TaskCancelledError();
}

/** The part [start, end) of a parent task's progress, for a sub-step. */
export function subTask(context: TaskContext, start: number, end: number): TaskContext {
  return {
    signal: context.signal,
    report: (fraction, message) =>
      context.report(start + (end - start) * Math.min(1, Math.max(0, fraction)), message),
  };
}

/** A context that nobody watches and nobody cancels (previews, tests). */
export function quietContext(): TaskContext {
  return { signal: new AbortController().signal, report: () => {} };
}
