/**
 * measure.ts's scout: which path it takes is decided by time, so the runs here advance a fake
 * clock by known times, and the checks are on which runs were called and the exact figures.
 */
import { describe, expect, it } from 'vitest';
import { measureWithScout, type Clock } from '../../../bench/measure';

/** A clock in seconds that moves only when a fake run says so. */
function fakeClock(): { clock: Clock; advance(seconds: number): void } {
  let now = 0;
  return { clock: () => now, advance: (seconds) => (now += seconds) };
}

/** A run of `units` units that takes `secondsPerUnit` each on `time`, counting its calls. */
function fakeRun(
  time: ReturnType<typeof fakeClock>,
  secondsPerUnit: number,
): { run: (units: number) => void; calls: number[] } {
  const calls: number[] = [];
  return {
    calls,
    run: (units) => {
      calls.push(units);
      time.advance(units * secondsPerUnit);
    },
  };
}

describe('measureWithScout', () => {
  it('measures at full size unless one full-size unit would take longer than the budget', () => {
    const time = fakeClock();
    const full = fakeRun(time, 0.002);
    const scout = fakeRun(time, 0.001);
    const timing = measureWithScout({ full: full.run, scout: scout.run, divisor: 2 }, 3, {
      repeats: 2,
      budgetSeconds: 10,
      clock: time.clock,
    });
    expect(scout.calls).toEqual([1, 1]);
    expect(full.calls).toEqual([1, 1, 2, 3, 3]);
    expect(timing).toMatchObject({ method: 'measured', basis: 'runs', batchDivisor: 1 });
    // The median of the two full runs of 3 units at 2 ms.
    expect(timing.samples).toHaveLength(2);
    expect(timing.seconds).toBeCloseTo(0.006, 12);
  });

  it('extrapolates from the scout, times the divisor, when one full unit is too slow', () => {
    const time = fakeClock();
    const full = fakeRun(time, 10);
    const scout = fakeRun(time, 0.02);
    const timing = measureWithScout({ full: full.run, scout: scout.run, divisor: 16 }, 5, {
      repeats: 3,
      budgetSeconds: 0.2,
      clock: time.clock,
    });
    expect(full.calls).toEqual([]);
    expect(scout.calls).toEqual([1, 1, 2]);
    expect(timing).toMatchObject({ method: 'extrapolated', basis: 'probes', batchDivisor: 16 });
    // 16 × (t₁ + 4·(t₂ − t₁)) with t₁ = 0.02 s, t₂ = 0.04 s: 1.6 s.
    expect(timing.samples[0]).toBeCloseTo(0.02, 12);
    expect(timing.samples[1]).toBeCloseTo(0.04, 12);
    expect(timing.seconds).toBeCloseTo(1.6, 12);
  });
});
