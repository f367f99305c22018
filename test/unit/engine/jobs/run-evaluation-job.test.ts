import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EvaluationConfig,
  type EvaluationConfigInput,
} from '../../../../src-main/common/evaluation-schemas';
import { mergeEvaluationResults } from '../../../../src-main/engine/jobs/job-shards';
import { summarizeMeasurements } from '../../../../src-main/engine/jobs/evaluation-measurements';
import { runJob } from '../../../../src-main/engine/jobs/run-job';
import { curveEpsilons, largeEpsilon } from '../../../../src-main/engine/jobs/run-evaluation-job';
import { exportWeights } from '../../../../src-main/engine/models/model-weights';
import type { EvaluationJobResult, EvaluationJobSpec } from '../../../../src-main/engine/protocol';
import type { ModelSpec, WeightTensor } from '../../../../src-main/engine/engine-types';
import { attackFixture, type AttackFixture } from '../attacks/attack-model';
import { mnistDigits } from '../mnist-fixture';
import { RecordingReporter } from '../recording-reporter';
import { useBackend } from '../use-backend';

let fixture: AttackFixture;
let other: AttackFixture;
let weights: WeightTensor[];
let otherWeights: WeightTensor[];
// 70 images: two batches (64 + 6), uint8 pixels as the core sends them.
const digits = mnistDigits(7, 300);
const pixels = Uint8Array.from(digits.images.data, (v) => Math.round(v * 255));
const modelSpec: ModelSpec = { architecture: 'small-cnn', inputShape: [28, 28, 1], numClasses: 10 };

const tiny: EvaluationConfigInput = {
  modelId: 1,
  datasetId: 1,
  count: 70,
  constraint: 'linf',
  epsilons: [0.3, 0.1],
  attacks: [
    { method: 'fgsm' },
    { method: 'pgd', steps: 5, restarts: 1 },
    { method: 'apgd-ce', iterations: 4 },
    { method: 'apgd-t', iterations: 3, targets: 2 },
    { method: 'square', queries: 20 },
  ],
  transferModelId: 2,
  seed: 4,
};

function spec(
  patch: Partial<EvaluationConfigInput> = {},
  slice: { from: number; to: number; batchOffset: number } = { from: 0, to: 70, batchOffset: 0 },
): EvaluationJobSpec {
  const config = EvaluationConfig.parse({ ...tiny, ...patch });
  return {
    kind: 'evaluation',
    config,
    model: modelSpec,
    weights,
    transferSource:
      config.transferModelId === null ? null : { id: 2, spec: modelSpec, weights: otherWeights },
    images: {
      shape: [slice.to - slice.from, 28, 28, 1],
      data: pixels.slice(slice.from * 784, slice.to * 784),
    },
    labels: digits.labels.slice(slice.from, slice.to),
    batchOffset: slice.batchOffset,
  };
}

describe('evaluation job', () => {
  let whole: EvaluationJobResult;

  beforeAll(async () => {
    await useBackend('wasm');
    fixture = attackFixture();
    other = attackFixture(11);
    weights = exportWeights(fixture.model);
    otherWeights = exportWeights(other.model);
  });
  afterAll(() => {
    fixture.dispose();
    other.dispose();
  });

  it('returns curves per attack, the worst case and the sanity checks, without leaking tensors', async () => {
    const reporter = new RecordingReporter();
    const before = tf.memory().numTensors;
    whole = (await runJob(spec(), reporter)) as EvaluationJobResult;
    expect(tf.memory().numTensors).toBe(before);
    const summary = whole.summary;
    expect(summary.examples).toBe(70);
    expect(summary.epsilons).toEqual([0, 0.1, 0.3]);
    expect(summary.curves.map((c) => c.attack)).toEqual([
      'FGSM',
      'PGD-5×1',
      'APGD-CE-4',
      'APGD-T-3',
      'Square-20',
      'transfer PGD-5×1 from model 2',
    ]);
    expect(summary.curves.map((c) => c.access)).toEqual([
      'white-box',
      'white-box',
      'white-box',
      'white-box',
      'black-box',
      'black-box',
    ]);
    for (const curve of summary.curves) {
      expect(curve.accuracy).toHaveLength(3);
      // ε = 0 returns x: the clean accuracy, for every attack.
      expect(curve.accuracy[0]).toBeCloseTo(summary.cleanAccuracy, 10);
    }
    // The worst case counts an image only if every attack failed on it.
    summary.worstCase.forEach((worst, e) => {
      for (const curve of summary.curves) expect(worst).toBeLessThanOrEqual(curve.accuracy[e] ?? 0);
    });
    const pgd = summary.curves[1]?.accuracy ?? [];
    expect(pgd[2] ?? 1).toBeLessThan(summary.cleanAccuracy);
    expect(summary.worstCase[2] ?? 1).toBeLessThan(0.5);
    // Per class: one row per class, whose counts add up to the whole at every ε.
    const perClass = summary.perClass ?? [];
    expect(perClass).toHaveLength(10);
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    expect(sum(perClass.map((c) => c.images))).toBe(70);
    expect(sum(perClass.map((c) => c.clean))).toBe(Math.round(summary.cleanAccuracy * 70));
    summary.worstCase.forEach((worst, e) =>
      expect(sum(perClass.map((c) => c.worstCase[e] ?? 0))).toBe(Math.round(worst * 70)),
    );
    // AutoAttack's cascade count: what each attack broke first adds up to clean − worst case.
    summary.worstCase.forEach((worst, e) => {
      const broken = sum(summary.curves.map((curve) => curve.brokenFirst?.[e] ?? Number.NaN));
      expect(broken + Math.round(worst * 70)).toBe(Math.round(summary.cleanAccuracy * 70));
    });
    // At ε = 0 every attack returns x: nothing is broken.
    for (const curve of summary.curves) expect(curve.brokenFirst?.[0]).toBe(0);
    const labels = digits.labels.slice(0, 70);
    perClass.forEach((c, label) => expect(c.images).toBe(labels.filter((l) => l === label).length));

    const names = summary.checks.map((c) => c.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'ε = 0 gives the clean accuracy',
        'PGD-5×1: accuracy never rises with ε',
        'a very large ε drives accuracy to chance',
        'more iterations and restarts do not help significantly',
        'PGD is at least as strong as FGSM',
        'every returned example is inside the ε-ball and [0,1]',
        'input gradients are finite and non-zero',
      ]),
    );
    for (const blackBox of ['Square-20', 'transfer PGD-5×1 from model 2']) {
      expect(names.some((n) => n.startsWith(`${blackBox} does not beat the white-box`))).toBe(true);
    }
    const check = (name: string) => summary.checks.find((c) => c.name === name);
    expect(check('ε = 0 gives the clean accuracy')?.passed).toBe(true);
    expect(check('every returned example is inside the ε-ball and [0,1]')?.passed).toBe(true);
    expect(check('input gradients are finite and non-zero')?.passed).toBe(true);
    expect(check('a very large ε drives accuracy to chance')?.passed).toBe(true);
    expect(check('gradient attacks moved every image they did not break')?.passed).toBe(true);
    // FGSM, PGD, APGD-CE and APGD-T at ε = 0.1 and 0.3, then the large-ε and stronger PGD.
    expect(whole.measurements.stalls).toHaveLength(10);
    expect(summary.warnings).toEqual(summary.checks.filter((c) => !c.passed).map((c) => c.name));
    expect(summary.skippedChecks).toEqual([]);
    // Ball re-check: 6 attacks × 3 ε, then large ε and the stronger PGD at the reference ε.
    expect(whole.measurements.ball).toHaveLength(20);
    expect(whole.measurements.large.epsilon).toBe(1);
    expect(whole.measurements.strongerPgd.attack).toBe('PGD-10×2');
    expect(reporter.progressEvents.at(-1)?.fraction).toBe(1);
    const fractions = reporter.progressEvents.map((e) => e.fraction);
    expect([...fractions].sort((a, b) => a - b)).toEqual(fractions);
  });

  // Without FGSM among the attacks the FGSM check runs on its own: its stall record, like every
  // other, is counted once (it was pushed twice, so a stalled FGSM check counted double).
  it('records each (attack, ε) run it checks for stalls once', async () => {
    const result = (await runJob(
      spec({ attacks: [{ method: 'pgd', steps: 5, restarts: 1 }], transferModelId: null }),
      new RecordingReporter(),
    )) as EvaluationJobResult;
    const runs = result.measurements.stalls.map((r) => `${r.attack} at ε ${r.epsilon}`);
    expect(new Set(runs).size).toBe(runs.length);
    // PGD at ε = 0.1 and 0.3, the large-ε and the stronger PGD, and the FGSM check.
    expect(runs).toHaveLength(5);
    expect(runs.filter((r) => r.startsWith('FGSM'))).toHaveLength(1);
  });

  it('gives the same result when split into shards at batch boundaries', async () => {
    const a = (await runJob(
      spec({}, { from: 0, to: 64, batchOffset: 0 }),
      new RecordingReporter(),
    )) as EvaluationJobResult;
    const b = (await runJob(
      spec({}, { from: 64, to: 70, batchOffset: 1 }),
      new RecordingReporter(),
    )) as EvaluationJobResult;
    const merged = mergeEvaluationResults([a, b]);
    if (merged.kind !== 'evaluation') throw new Error('wrong kind');
    expect(merged.summary).toEqual(whole.summary);
    expect(merged.measurements.gradientNorms).toEqual(whole.measurements.gradientNorms);
    // The per-example records (and worst-case images) of the export join in image order.
    expect(merged.measurements.perExample).toEqual(whole.measurements.perExample);
  });

  it('warns when the measured numbers break a check', () => {
    const m = whole.measurements;
    const broken = summarizeMeasurements({
      ...m,
      // PGD worse than FGSM, and a black-box attack far below every white-box one.
      pgdVsFgsm: { ...m.pgdVsFgsm, pgd: m.pgdVsFgsm.fgsm.map((v) => v + 10) },
      referencePgd: { ...m.referencePgd, correct: 40 },
      curves: m.curves.map((c) => ({
        ...c,
        correct: c.access === 'white-box' ? c.correct.map((v, e) => (e === 0 ? v : 40)) : c.correct,
      })),
      gradientNonFinite: 3,
      stalls: m.stalls.map((record, i) => ({ ...record, images: i === 1 ? 2 : 0 })),
    });
    expect(broken.warnings).toEqual(
      expect.arrayContaining([
        'gradient attacks moved every image they did not break',
        'PGD is at least as strong as FGSM',
        'input gradients are finite and non-zero',
        'Square-20 does not beat the white-box FGSM',
      ]),
    );
    const masking = broken.checks.find((c) => c.name.startsWith('Square-20 does not beat'));
    expect(masking?.detail).toMatch(/gradient masking suspected/);
    const stalled = broken.checks.find((c) => c.name.startsWith('gradient attacks moved'));
    expect(stalled?.detail).toMatch(/left 2 correctly classified images where it started/);
  });

  it('runs the checks with their own PGD and FGSM when the config has neither, and says what it skipped', async () => {
    const result = (await runJob(
      spec(
        {
          attacks: [{ method: 'apgd-ce', iterations: 3 }],
          transferModelId: null,
          constraint: 'l2',
          epsilons: [1.5],
        },
        { from: 0, to: 10, batchOffset: 0 },
      ),
      new RecordingReporter(),
    )) as EvaluationJobResult;
    expect(result.summary.curves.map((c) => c.attack)).toEqual(['APGD-CE-3']);
    expect(result.measurements.referencePgd.attack).toBe('PGD-40×1');
    expect(result.measurements.pgdVsFgsm.epsilons).toEqual([1.5]);
    expect(result.measurements.large.epsilon).toBeCloseTo(28, 10);
    expect(result.summary.skippedChecks).toHaveLength(1);
    expect(result.summary.skippedChecks[0]).toMatch(/gradient masking/);
  });

  it('stops when cancelled and fails clearly on bad input', async () => {
    const reporter = new RecordingReporter();
    reporter.cancelWhen = (r) => r.progressEvents.length > 1;
    const before = tf.memory().numTensors;
    await expect(runJob(spec(), reporter)).rejects.toThrow(/cancel/i);
    expect(tf.memory().numTensors).toBe(before);
    await expect(
      runJob(
        { ...spec(), transferSource: { id: 2, spec: { ...modelSpec, numClasses: 5 }, weights } },
        new RecordingReporter(),
      ),
    ).rejects.toThrow(/transfer source model has 5 classes, the evaluated one 10/);
    await expect(
      runJob({ ...spec(), labels: digits.labels.subarray(0, 3) }, new RecordingReporter()),
    ).rejects.toThrow(/70 images but 3 labels/);
    // Square runs under L2 too (Andriushchenko et al.'s Algorithm 3), as AutoAttack's L2 suite needs.
    expect(EvaluationConfig.parse({ ...tiny, constraint: 'l2' }).constraint).toBe('l2');
  });

  it('adds ε = 0 to the curves and covers the pixel box at the large ε', () => {
    expect(curveEpsilons([0.3, 0.1, 0.3])).toEqual([0, 0.1, 0.3]);
    expect(largeEpsilon('linf', [28, 28, 1])).toBe(1);
    expect(largeEpsilon('l2', [32, 32, 3])).toBeCloseTo(Math.sqrt(3072), 12);
  });
});
