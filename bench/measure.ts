/**
 * Timing with a warm-up, a median of repeats, and an honest fallback for slow backends:
 *   1. warm-up: run(1), discarded (kernel compilation, first allocations);
 *   2. probe:   t₁ = time(run(1)), t₂ = time(run(2)) → per unit u = t₂ − t₁, fixed f = t₁ − u;
 *               estimate of a full run T ≈ f + N·u = t₁ + (N − 1)(t₂ − t₁);
 *   3. when repeats·T fits the budget: the median of `repeats` full runs (measured);
 *      otherwise the estimate, marked as extrapolated.
 * A warm-up far over the budget (N·t_warm > 4·budget, or a one-unit workload whose warm-up took
 * over half the budget) skips the probes: the figure is N·t_warm, marked as extrapolated.
 */
import { performance } from 'node:perf_hooks';

export interface Timing {
  seconds: number;
  /** 'measured': median of full runs; 'extrapolated': from 1–2 unit probes (see above). */
  method: 'measured' | 'extrapolated';
  /** Every full-run time (measured) or the probe times (extrapolated), in seconds. */
  samples: number[];
}

export interface MeasureOptions {
  repeats: number;
  /** Wall seconds the measured repeats may take in all; beyond, extrapolate. */
  budgetSeconds: number;
  /** Called after the warm-up (lazily created state, e.g. optimizer slots, exists by then). */
  afterWarmUp?: () => void;
}

export function timeOnce(action: () => void): number {
  const start = performance.now();
  action();
  return (performance.now() - start) / 1000;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const at = (i: number): number => sorted[i] ?? NaN;
  return sorted.length % 2 === 1 ? at(middle) : (at(middle - 1) + at(middle)) / 2;
}

export function measure(
  run: (units: number) => void,
  fullUnits: number,
  options: MeasureOptions,
): Timing {
  const warm = timeOnce(() => run(1));
  options.afterWarmUp?.();
  let estimate: number;
  let probes: number[];
  if (
    warm * fullUnits > options.budgetSeconds * 4 ||
    (fullUnits === 1 && warm > options.budgetSeconds / 2)
  ) {
    estimate = warm * fullUnits;
    probes = [warm];
  } else {
    const one = timeOnce(() => run(1));
    if (fullUnits === 1) {
      estimate = one;
      probes = [one];
    } else {
      const two = timeOnce(() => run(2));
      // Noise can make t₂ − t₁ tiny or negative; a unit never costs less than half of t₂.
      const perUnit = Math.max(two - one, two / 2);
      estimate = one + (fullUnits - 1) * perUnit;
      probes = [one, two];
    }
  }
  if (estimate * options.repeats > options.budgetSeconds) {
    return { seconds: estimate, method: 'extrapolated', samples: probes };
  }
  const samples: number[] = [];
  for (let r = 0; r < options.repeats; r++) samples.push(timeOnce(() => run(fullUnits)));
  return { seconds: median(samples), method: 'measured', samples };
}
