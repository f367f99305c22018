/**
 * measure.ts's scout: which path it takes is decided by time, so the runs here sleep for known
 * times (Atomics.wait) and the checks are on which runs were called, with wide margins.
 */
import { describe, expect, it } from 'vitest';
import { measureWithScout } from '../../../bench/measure';

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** A run of `units` units that takes `secondsPerUnit` each, counting its calls. */
function fakeRun(secondsPerUnit: number): { run: (units: number) => void; calls: number[] } {
  const calls: number[] = [];
  return {
    calls,
    run: (units) => {
      calls.push(units);
      Atomics.wait(sleeper, 0, 0, units * secondsPerUnit * 1000);
    },
  };
}

describe('measureWithScout', () => {
  it('measures at full size unless one full-size unit would take longer than the budget', () => {
    const full = fakeRun(0.002);
    const scout = fakeRun(0.001);
    const timing = measureWithScout({ full: full.run, scout: scout.run, divisor: 2 }, 3, {
      repeats: 2,
      budgetSeconds: 10,
    });
    expect(scout.calls).toEqual([1, 1]);
    expect(full.calls).toEqual([1, 1, 2, 3, 3]);
    expect(timing).toMatchObject({ method: 'measured', basis: 'runs', batchDivisor: 1 });
  });

  it('extrapolates from the scout, times the divisor, when one full unit is too slow', () => {
    const full = fakeRun(10);
    const scout = fakeRun(0.02);
    const timing = measureWithScout({ full: full.run, scout: scout.run, divisor: 16 }, 5, {
      repeats: 3,
      budgetSeconds: 0.2,
    });
    expect(full.calls).toEqual([]);
    expect(scout.calls).toEqual([1, 1, 2]);
    expect(timing).toMatchObject({ method: 'extrapolated', basis: 'probes', batchDivisor: 16 });
    // 16 × (t₁ + 4·(t₂ − t₁)) with t₁ ≈ 0.02 s, t₂ ≈ 0.04 s: about 1.6 s.
    expect(timing.seconds).toBeGreaterThan(1.2);
    expect(timing.seconds).toBeLessThan(4);
  });
});
