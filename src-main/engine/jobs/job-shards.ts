/**
 * How an attack or an evaluation is split over the engine workers (shardPlan) and how the shards'
 * results are put back together. Pure (no tensors): the core plans and merges on the main thread,
 * and keeps tensor code out of its module graph by importing only this file of the jobs layer.
 */
import { ATTACK_BATCH } from '../attacks/attack-batch';
import type { AttackJobResult, JobResult } from '../protocol';
import { mergeMeasurements, summarizeMeasurements } from './evaluation-measurements';

/**
 * Splits n images into at most `workers` shards of whole ATTACK_BATCH batches. Each shard carries
 * the global index of its first batch, which seeds its random starts, so the merged result is the
 * one a single worker would have produced.
 */
export function shardPlan(
  n: number,
  workers: number,
): { first: number; count: number; batchOffset: number }[] {
  const batches = Math.ceil(n / ATTACK_BATCH);
  const shards = Math.max(1, Math.min(workers, batches));
  // Cut s lies at the batch boundary nearest to s·n/shards images, so shards hold about the
  // same number of images (130 images on 2 workers: 64 + 66, not 128 + 2).
  const cuts = [0];
  for (let s = 1; s < shards; s += 1) {
    const cut = Math.round((s * n) / shards / ATTACK_BATCH);
    if (cut > (cuts.at(-1) ?? 0) && cut < batches) cuts.push(cut);
  }
  cuts.push(batches);
  return cuts.slice(0, -1).map((batch, s) => {
    const first = batch * ATTACK_BATCH;
    const end = Math.min(n, (cuts[s + 1] ?? batches) * ATTACK_BATCH);
    return { first, count: end - first, batchOffset: batch };
  });
}

/** Puts shard results back in order; means are weighted by each shard's image count. */
export function mergeAttackResults(results: JobResult[]): AttackJobResult {
  const attacks = results.map((result) => {
    if (result.kind !== 'attack')
      throw new Error('an attack shard returned another kind of result');
    return result;
  });
  const counts = attacks.map((result) => result.examples.length);
  const total = counts.reduce((a, b) => a + b, 0);
  const weighted = (pick: (result: AttackJobResult) => number) =>
    attacks.reduce((sum, result, i) => sum + pick(result) * (counts[i] ?? 0), 0) / total;
  const adversarial = new Float32Array(
    attacks.reduce((sum, result) => sum + result.adversarial.length, 0),
  );
  let offset = 0;
  for (const result of attacks) {
    adversarial.set(result.adversarial, offset);
    offset += result.adversarial.length;
  }
  // A shard's curve stands for the images whose batches recorded one (lossExamples).
  const withCurve = attacks.filter((result) => result.lossPerStep.length > 0);
  const curveWeight = (result: AttackJobResult) => result.lossExamples ?? result.examples.length;
  const curveTotal = withCurve.reduce((sum, result) => sum + curveWeight(result), 0);
  const steps = withCurve[0]?.lossPerStep.length ?? 0;
  return {
    kind: 'attack',
    adversarial,
    examples: attacks.flatMap((result) => result.examples),
    lossPerStep: Array.from(
      { length: steps },
      (_, step) =>
        withCurve.reduce(
          (sum, result) => sum + (result.lossPerStep[step] ?? NaN) * curveWeight(result),
          0,
        ) / curveTotal,
    ),
    lossExamples: curveTotal,
    cleanAccuracy: weighted((result) => result.cleanAccuracy),
    robustAccuracy: weighted((result) => result.robustAccuracy),
  };
}

/** Adds the shards' measurements and summarizes the total. */
export function mergeEvaluationResults(results: JobResult[]): JobResult {
  const measurements = results.map((result) => {
    if (result.kind !== 'evaluation')
      throw new Error('an evaluation shard returned another kind of result');
    return result.measurements;
  });
  const total = mergeMeasurements(measurements);
  return { kind: 'evaluation', measurements: total, summary: summarizeMeasurements(total) };
}
