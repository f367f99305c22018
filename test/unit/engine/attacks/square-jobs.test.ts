/**
 * The L2 Square attack through the attack and evaluation jobs: results independent of how the
 * images are split into shards (at batch boundaries), and the evaluation's query counts.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EvaluationConfig,
  EvaluationResult,
  attackConfigProblems,
} from '../../../../src-main/common/evaluation-schemas';
import type { AttackConfig } from '../../../../src-main/common/attack-schemas';
import { mergeEvaluationResults } from '../../../../src-main/engine/jobs/job-shards';
import { median, summarizeQueries } from '../../../../src-main/engine/jobs/evaluation-measurements';
import { ATTACK_BATCH } from '../../../../src-main/engine/attacks/attack-batch';
import { runJob } from '../../../../src-main/engine/jobs/run-job';
import { exportWeights } from '../../../../src-main/engine/models/model-weights';
import type {
  AttackJobResult,
  AttackJobSpec,
  EvaluationJobResult,
  EvaluationJobSpec,
} from '../../../../src-main/engine/protocol';
import type { ModelSpec, WeightTensor } from '../../../../src-main/engine/engine-types';
import { mnistDigits } from '../mnist-fixture';
import { RecordingReporter } from '../recording-reporter';
import { useBackend } from '../use-backend';
import { attackFixture, type AttackFixture } from './attack-model';

let fixture: AttackFixture;
let weights: WeightTensor[];
// 70 images: two batches (64 + 6), uint8 pixels as the core sends them.
const digits = mnistDigits(7, 300);
const pixels = Uint8Array.from(digits.images.data, (v) => Math.round(v * 255));
const modelSpec: ModelSpec = { architecture: 'small-cnn', inputShape: [28, 28, 1], numClasses: 10 };
const slices = [
  { from: 0, to: ATTACK_BATCH, batchOffset: 0 },
  { from: ATTACK_BATCH, to: 70, batchOffset: 1 },
];
const whole = { from: 0, to: 70, batchOffset: 0 };
type Slice = typeof whole;

const images = (slice: Slice) => ({
  images: {
    shape: [slice.to - slice.from, 28, 28, 1] as [number, number, number, number],
    data: pixels.slice(slice.from * 784, slice.to * 784),
  },
  labels: digits.labels.slice(slice.from, slice.to),
  batchOffset: slice.batchOffset,
});

const attackConfig: AttackConfig = {
  modelId: 1,
  datasetId: 1,
  indices: [0],
  method: 'square',
  perturbation: { constraint: 'l2', epsilon: 1.5, steps: 1, stepSize: 0.1, randomStart: false },
  restarts: 1,
  targetClass: null,
  seed: 9,
  squareQueries: 20,
};

function attackSpec(slice: Slice): AttackJobSpec {
  return { kind: 'attack', config: attackConfig, model: modelSpec, weights, ...images(slice) };
}

function evaluationSpec(slice: Slice): EvaluationJobSpec {
  const config = EvaluationConfig.parse({
    modelId: 1,
    datasetId: 1,
    count: 70,
    constraint: 'l2',
    epsilons: [1.5],
    attacks: [
      { method: 'pgd', steps: 3 },
      { method: 'square', queries: 20 },
    ],
    seed: 4,
  });
  return {
    kind: 'evaluation',
    config,
    model: modelSpec,
    weights,
    transferSource: null,
    ...images(slice),
  };
}

describe('the L2 Square attack in jobs', () => {
  beforeAll(async () => {
    await useBackend('wasm');
    fixture = attackFixture();
    weights = exportWeights(fixture.model);
  });
  afterAll(() => fixture.dispose());

  it('attack job: inside the ball, the same when split into shards', async () => {
    expect(attackConfigProblems(attackConfig)).toEqual([]);
    expect(
      attackConfigProblems({
        ...attackConfig,
        perturbation: { ...attackConfig.perturbation, constraint: 'unconstrained' },
      }),
    ).toEqual(['the Square attack runs under linf or l2, not unconstrained']);
    const all = (await runJob(attackSpec(whole), new RecordingReporter())) as AttackJobResult;
    for (const example of all.examples) expect(example.l2Norm).toBeLessThanOrEqual(1.5 * 1.00001);
    expect(Math.min(...all.adversarial)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...all.adversarial)).toBeLessThanOrEqual(1);
    expect(all.robustAccuracy).toBeLessThan(all.cleanAccuracy);
    const parts: AttackJobResult[] = [];
    for (const slice of slices)
      parts.push((await runJob(attackSpec(slice), new RecordingReporter())) as AttackJobResult);
    expect(parts.flatMap((part) => part.examples.map((e) => e.queries))).toEqual(
      all.examples.map((e) => e.queries),
    );
    expect(parts.flatMap((part) => Array.from(part.adversarial))).toEqual(
      Array.from(all.adversarial),
    );
  });

  it('evaluation job: Square under L2 with its query counts, merged exactly over shards', async () => {
    const before = tf.memory().numTensors;
    const all = (await runJob(
      evaluationSpec(whole),
      new RecordingReporter(),
    )) as EvaluationJobResult;
    expect(tf.memory().numTensors).toBe(before);
    const summary = EvaluationResult.parse(all.summary);
    expect(summary.curves.map((c) => c.attack)).toEqual(['PGD-3×1', 'Square-20']);
    const inside = summary.checks.find(
      (c) => c.name === 'every returned example is inside the ε-ball and [0,1]',
    );
    expect(inside?.passed).toBe(true);

    // Per-image queries on the clean-correct images: the resisting ones spent the whole budget.
    const [record, ...others] = all.measurements.queries.filter((r) => r.epsilon === 1.5);
    expect(others).toEqual([]);
    expect(record?.attack).toBe('Square-20');
    const clean = Math.round(summary.cleanAccuracy * 70);
    expect(record?.queries).toHaveLength(clean);
    record?.queries.forEach((spent, n) => {
      expect(spent).toBeGreaterThanOrEqual(1);
      if (record.fooled[n] === false) expect(spent).toBe(20);
      else expect(spent).toBeLessThanOrEqual(20);
    });
    const squareCorrect = Math.round((summary.curves[1]?.accuracy[1] ?? NaN) * 70);
    const fooled = record?.fooled.filter(Boolean).length ?? 0;
    expect(fooled).toBeGreaterThan(0);
    // The Square curve is raw: the clean-correct images it did not fool, plus at most the
    // 70 − clean images that were wrong before the attack.
    expect(squareCorrect).toBeGreaterThanOrEqual(clean - fooled);
    expect(squareCorrect).toBeLessThanOrEqual(70 - fooled);

    const [counts, ...rest] = summary.queryCounts ?? [];
    expect(rest).toEqual([]);
    expect(counts).toMatchObject({ attack: 'Square-20', epsilon: 1.5, attacked: clean, fooled });
    expect(counts?.meanFooled ?? Infinity).toBeLessThan(20);
    expect(counts?.medianFooled ?? Infinity).toBeLessThanOrEqual(counts?.median ?? -Infinity);

    const parts: EvaluationJobResult[] = [];
    for (const slice of slices) {
      parts.push(
        (await runJob(evaluationSpec(slice), new RecordingReporter())) as EvaluationJobResult,
      );
    }
    const merged = mergeEvaluationResults(parts);
    if (merged.kind !== 'evaluation') throw new Error('not an evaluation');
    expect(merged.summary).toEqual(all.summary);
    expect(merged.measurements.queries).toEqual(all.measurements.queries);
  });

  it('medians and per-ε summaries of query lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNull();
    const counts = summarizeQueries([
      { attack: 'Square-9', epsilon: 0, queries: [1, 1], fooled: [false, false] },
      {
        attack: 'Square-9',
        epsilon: 0.5,
        queries: [9, 2, 4, 9, 1],
        fooled: [false, true, true, false, true],
      },
      { attack: 'Square-9', epsilon: 1, queries: [9], fooled: [false] },
    ]);
    expect(counts).toEqual([
      {
        attack: 'Square-9',
        epsilon: 0.5,
        attacked: 5,
        fooled: 3,
        mean: 5,
        median: 4,
        meanFooled: 7 / 3,
        medianFooled: 2,
      },
      {
        attack: 'Square-9',
        epsilon: 1,
        attacked: 1,
        fooled: 0,
        mean: 9,
        median: 9,
        meanFooled: null,
        medianFooled: null,
      },
    ]);
  });
});
