/**
 * Timing with a warm-up, a median of repeats, and an honest fallback for slow backends:
 *   1. warm-up: run(1), discarded (kernel compilation, first allocations);
 *   2. probe:   t₁ = time(run(1)), t₂ = time(run(2)) → per unit u = max(t₂ − t₁, 0), fixed
 *               f = t₁ − u; estimate of a full run T ≈ f + N·u = t₁ + (N − 1)·u;
 *   3. when repeats·T fits the budget: the median of `repeats` full runs (measured);
 *      otherwise the estimate, marked as extrapolated.
 * A warm-up far over the budget (N·t_warm > 4·budget, or a one-unit workload whose warm-up took
 * over half the budget) skips the probes: the figure is N·t_warm, marked as extrapolated.
 *
 * measureWithScout puts a scout in front, for backends so slow that even one unit at full size
 * blows the budget (the pure cpu backend: one W3 training step takes ~10 minutes). The scout runs
 * the workload at 1/d of the batch; every kernel of these models costs in proportion to the
 * batch, so full-size time ≈ d × scout time. Where one full-size unit would take longer than
 * the whole budget, the figure is d × the scout's probe estimate, extrapolated. Only there: on
 * fast backends it overestimates several times over (per-step overheads do not shrink with the
 * batch; W2 at batch 8 on wasm+native: ~8 s predicted against ~1.3 s measured).
 */
import { performance } from 'node:perf_hooks';

export interface Timing {
  seconds: number;
  /** 'measured': median of full runs; 'extrapolated': from 1–2 unit probes (see above). */
  method: 'measured' | 'extrapolated';
  /** What `samples` are: full runs, the 1- and 2-unit probes, or the warm-up alone. */
  basis: 'runs' | 'probes' | 'warm-up';
  /** Every full-run time (measured) or the probe times (extrapolated), in seconds. */
  samples: number[];
  /** Full batch / the batch the samples ran at: 1, or the scout's d (seconds = d × estimate). */
  batchDivisor: number;
}

export interface MeasureOptions {
  repeats: number;
  /** Wall seconds the measured repeats may take in all; beyond, extrapolate. */
  budgetSeconds: number;
  /** Called after the warm-up (lazily created state, e.g. optimizer slots, exists by then). */
  afterWarmUp?: () => void;
  /** Seconds on a monotonic clock; performance.now() unless given (tests pass a fake one). */
  clock?: Clock;
}

export type Clock = () => number;

const wallClock: Clock = () => performance.now() / 1000;

export function timeOnce(action: () => void, clock: Clock = wallClock): number {
  const start = clock();
  action();
  return clock() - start;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const at = (i: number): number => sorted[i] ?? NaN;
  return sorted.length % 2 === 1 ? at(middle) : (at(middle - 1) + at(middle)) / 2;
}

/** Step 2 above on a warmed-up workload whose t₁ is known: T ≈ t₁ + (N − 1)(t₂ − t₁). */
function probeFrom(
  one: number,
  run: (units: number) => void,
  fullUnits: number,
  clock: Clock,
): { estimate: number; probes: number[] } {
  if (fullUnits === 1) return { estimate: one, probes: [one] };
  const two = timeOnce(() => run(2), clock);
  // A small t₂ − t₁ is real where a fixed cost dominates (W2: one training step ≈ 20 attack
  // steps on pure cpu), and t₂ ≤ t₁ only happens there (noise would have to halve a unit
  // elsewhere): the units are lost in the noise, and the estimate is the fixed cost alone.
  const perUnit = Math.max(two - one, 0);
  return { estimate: one + (fullUnits - 1) * perUnit, probes: [one, two] };
}

export function measure(
  run: (units: number) => void,
  fullUnits: number,
  options: MeasureOptions,
): Timing {
  const clock = options.clock ?? wallClock;
  const warm = timeOnce(() => run(1), clock);
  options.afterWarmUp?.();
  const extrapolated = (seconds: number, basis: Timing['basis'], samples: number[]): Timing => ({
    seconds,
    method: 'extrapolated',
    basis,
    samples,
    batchDivisor: 1,
  });
  if (
    warm * fullUnits > options.budgetSeconds * 4 ||
    (fullUnits === 1 && warm > options.budgetSeconds / 2)
  ) {
    return extrapolated(warm * fullUnits, 'warm-up', [warm]);
  }
  const one = timeOnce(() => run(1), clock);
  const { estimate, probes } = probeFrom(one, run, fullUnits, clock);
  if (estimate * options.repeats > options.budgetSeconds) {
    return extrapolated(estimate, 'probes', probes);
  }
  const samples: number[] = [];
  for (let r = 0; r < options.repeats; r++) samples.push(timeOnce(() => run(fullUnits), clock));
  return { seconds: median(samples), method: 'measured', basis: 'runs', samples, batchDivisor: 1 };
}

export interface ScoutedRuns {
  /** Runs `units` units at full size. */
  full: (units: number) => void;
  /** Runs `units` units at 1/divisor of the batch. */
  scout: (units: number) => void;
  divisor: number;
}

export function measureWithScout(
  runs: ScoutedRuns,
  fullUnits: number,
  options: MeasureOptions,
): Timing {
  const clock = options.clock ?? wallClock;
  runs.scout(1); // warm-up, discarded
  options.afterWarmUp?.();
  const one = timeOnce(() => runs.scout(1), clock);
  if (runs.divisor * one <= options.budgetSeconds) {
    return measure(runs.full, fullUnits, options);
  }
  const { estimate, probes } = probeFrom(one, runs.scout, fullUnits, clock);
  return {
    seconds: runs.divisor * estimate,
    method: 'extrapolated',
    basis: 'probes',
    samples: probes,
    batchDivisor: runs.divisor,
  };
}
