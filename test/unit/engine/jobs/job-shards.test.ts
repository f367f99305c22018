import { describe, expect, it } from 'vitest';
import { mergeAttackResults, shardPlan } from '../../../../src-main/engine/jobs/job-shards';
import { ATTACK_BATCH } from '../../../../src-main/engine/attacks/attack-batch';
import type { AttackJobResult } from '../../../../src-main/engine/protocol';

function result(
  n: number,
  loss: number,
  clean: number,
  robust: number,
  fill: number,
): AttackJobResult {
  return {
    kind: 'attack',
    adversarial: new Float32Array(n * 2).fill(fill),
    examples: Array.from({ length: n }, () => ({
      cleanTop5: [],
      adversarialTop5: [],
      cleanCorrect: true,
      success: false,
      linfNorm: fill,
      l2Norm: fill,
    })),
    lossPerStep: [loss, loss * 2],
    cleanAccuracy: clean,
    robustAccuracy: robust,
  };
}

describe('attack shards', () => {
  it('splits at whole batches, in order, with the global batch index of each shard', () => {
    expect(ATTACK_BATCH).toBe(64);
    expect(shardPlan(130, 2)).toEqual([
      { first: 0, count: 64, batchOffset: 0 },
      { first: 64, count: 66, batchOffset: 1 },
    ]);
    expect(shardPlan(200, 2)).toEqual([
      { first: 0, count: 128, batchOffset: 0 },
      { first: 128, count: 72, batchOffset: 2 },
    ]);
    expect(shardPlan(10, 4)).toEqual([{ first: 0, count: 10, batchOffset: 0 }]);
    const many = shardPlan(2000, 3);
    expect(many.reduce((sum, shard) => sum + shard.count, 0)).toBe(2000);
    expect(many.map((shard) => shard.first)).toEqual([0, 640, 1344]);
  });

  it('merges shard results in order with means weighted by image count', () => {
    const merged = mergeAttackResults([result(64, 1, 1, 0.5, 0.1), result(32, 4, 0.5, 0, 0.2)]);
    expect(merged.examples).toHaveLength(96);
    expect(merged.adversarial[0]).toBeCloseTo(0.1);
    expect(merged.adversarial[64 * 2]).toBeCloseTo(0.2);
    expect(merged.lossPerStep).toEqual([2, 4]);
    expect(merged.cleanAccuracy).toBeCloseTo((64 + 16) / 96, 12);
    expect(merged.robustAccuracy).toBeCloseTo(32 / 96, 12);
  });
});
