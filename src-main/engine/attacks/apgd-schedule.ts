/**
 * APGD's checkpoints (Croce & Hein 2020, §3.2), where the step size may be halved:
 *   p_0 = 0,  p_1 = 0.22,  p_{j+1} = p_j + max(p_j − p_{j−1} − 0.03, 0.06)
 *   w_j = ⌈p_j · N_iter⌉  for every p_j ≤ 1
 * p runs 0, 0.22, 0.41, 0.57, 0.70, 0.80, 0.87, 0.93, 0.99: long early phases, then a check
 * every 6% of the budget. The p_j are kept in whole hundredths so that float rounding cannot
 * move a checkpoint (0.22 · 100 is 22.000000000000004 in floating point; its ceiling is 23).
 */

/** p_1, …, p_J in hundredths (p_0 = 0 is not a checkpoint). */
export function checkpointFractions(): number[] {
  const hundredths = [0, 22];
  for (;;) {
    const last = hundredths[hundredths.length - 1] ?? 0;
    const before = hundredths[hundredths.length - 2] ?? 0;
    const next = last + Math.max(last - before - 3, 6);
    if (next > 100) break;
    hundredths.push(next);
  }
  return hundredths.slice(1);
}

/**
 * The iteration counts w_1 < w_2 < … after which the conditions are checked, for N_iter
 * iterations (repeats, which small budgets produce, are merged; all are in 1..N_iter).
 */
export function apgdCheckpoints(iterations: number): number[] {
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new Error(`iterations must be a whole number ≥ 1, got ${String(iterations)}`);
  }
  const checkpoints: number[] = [];
  for (const p of checkpointFractions()) {
    const w = Math.ceil((p * iterations) / 100);
    if (w >= 1 && w <= iterations && w !== checkpoints[checkpoints.length - 1]) checkpoints.push(w);
  }
  return checkpoints;
}
