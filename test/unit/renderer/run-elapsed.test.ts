import { describe, expect, it } from 'vitest';
import { runElapsed } from '../../../src-renderer/src/lib/run-elapsed';

describe('run elapsed time', () => {
  const started = '2025-01-01T10:00:00.000Z';
  const at = (seconds: number) => Date.parse(started) + seconds * 1000;

  it('counts a running job on from its last progress event, by the clock given', () => {
    // The run list was read before the run was marked running: no startedAt yet.
    const run = { startedAt: null, finishedAt: null };
    const job = { phase: 'running', elapsedSeconds: 3, elapsedAt: at(20) };
    expect(runElapsed(run, job, at(20))).toBe('3 s');
    expect(runElapsed(run, job, at(24))).toBe('7 s');
    expect(runElapsed(run, job, at(100))).toBe('1 min 23 s');
  });

  it('counts a run that is going from its start, and a finished one from start to finish', () => {
    expect(runElapsed({ startedAt: started, finishedAt: null }, undefined, at(12))).toBe('12 s');
    const finished = { startedAt: started, finishedAt: new Date(at(42)).toISOString() };
    expect(runElapsed(finished, undefined, at(1000))).toBe('42 s');
    const done = { phase: 'completed', elapsedSeconds: null, elapsedAt: at(0) };
    expect(runElapsed(finished, done, at(1000))).toBe('42 s');
    expect(runElapsed({ startedAt: null, finishedAt: null }, undefined, at(5))).toBe('—');
  });
});
