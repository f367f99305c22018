import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttackConfig } from '../../../../src-main/common/attack-schemas';
import { ATTACK_BATCH } from '../../../../src-main/engine/attacks/attack-batch';
import { runJob } from '../../../../src-main/engine/jobs/run-job';
import { exportWeights } from '../../../../src-main/engine/models/model-weights';
import type { AttackJobResult, AttackJobSpec } from '../../../../src-main/engine/protocol';
import type { WeightTensor } from '../../../../src-main/engine/engine-types';
import { attackFixture, type AttackFixture } from '../attacks/attack-model';
import { mnistDigits } from '../mnist-fixture';
import { RecordingReporter } from '../recording-reporter';
import { useBackend } from '../use-backend';

let fixture: AttackFixture;
let weights: WeightTensor[];
// 130 images: two batches (128 + 2), uint8 pixels as the core sends them.
const digits = mnistDigits(13, 200);
const pixels = Uint8Array.from(digits.images.data, (v) => Math.round(v * 255));

const config: AttackConfig = {
  modelId: 1,
  datasetId: 1,
  indices: [0],
  method: 'pgd',
  perturbation: { constraint: 'linf', epsilon: 0.15, steps: 5, stepSize: 0.05, randomStart: true },
  restarts: 1,
  targetClass: null,
  seed: 9,
};

function spec(patch: Partial<AttackConfig> = {}): AttackJobSpec {
  return {
    kind: 'attack',
    config: { ...config, ...patch },
    model: { architecture: 'small-cnn', inputShape: [28, 28, 1], numClasses: 10 },
    weights,
    images: { shape: [130, 28, 28, 1], data: pixels },
    labels: digits.labels,
    batchOffset: 0,
  };
}

describe('attack job', () => {
  beforeAll(async () => {
    await useBackend('wasm');
    fixture = attackFixture();
    weights = exportWeights(fixture.model);
  });
  afterAll(() => fixture.dispose());

  it('returns adversarial images, per-example read-outs and the loss curve', async () => {
    const reporter = new RecordingReporter();
    const before = tf.memory().numTensors;
    const result = (await runJob(spec(), reporter)) as AttackJobResult;
    expect(tf.memory().numTensors).toBe(before);
    expect(result.adversarial).toHaveLength(130 * 784);
    expect(result.examples).toHaveLength(130);
    expect(result.lossPerStep).toHaveLength(6);
    expect(result.lossPerStep[5] ?? 0).toBeGreaterThan(result.lossPerStep[0] ?? Infinity);
    expect(result.robustAccuracy).toBeLessThan(result.cleanAccuracy);
    for (const [i, example] of result.examples.entries()) {
      expect(example.linfNorm).toBeLessThanOrEqual(0.15 + 1e-5);
      expect(example.cleanTop5).toHaveLength(5);
      const probabilities = example.adversarialTop5.map((p) => p.probability);
      expect([...probabilities].sort((a, b) => b - a)).toEqual(probabilities);
      expect(example.success).toBe(example.adversarialTop5[0]?.label !== digits.labels[i]);
    }
    // PGD moved every image (a stalled one would be flagged in the result and the tally).
    expect(result.examples.every((e) => e.stalled === false)).toBe(true);
    const cleanCorrect = result.examples.filter((e) => e.cleanCorrect).length / 130;
    expect(result.cleanAccuracy).toBeCloseTo(cleanCorrect, 10);
    expect(Math.min(...result.adversarial)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...result.adversarial)).toBeLessThanOrEqual(1);
    expect(reporter.progressEvents.at(-1)?.fraction).toBe(1);
  });

  it('gives the same result when split into shards at batch boundaries', async () => {
    const whole = (await runJob(spec(), new RecordingReporter())) as AttackJobResult;
    const cut = ATTACK_BATCH; // shard A: one batch; shard B: the rest, starting at batch 1
    const shard = (from: number, to: number, batchOffset: number): AttackJobSpec => ({
      ...spec(),
      images: { shape: [to - from, 28, 28, 1], data: pixels.slice(from * 784, to * 784) },
      labels: digits.labels.slice(from, to),
      batchOffset,
    });
    const a = (await runJob(shard(0, cut, 0), new RecordingReporter())) as AttackJobResult;
    const b = (await runJob(shard(cut, 130, 1), new RecordingReporter())) as AttackJobResult;
    expect(Array.from(a.adversarial)).toEqual(Array.from(whole.adversarial.subarray(0, cut * 784)));
    expect(Array.from(b.adversarial)).toEqual(Array.from(whole.adversarial.subarray(cut * 784)));
  });

  it('FGSM under L2 moves each image by exactly ε unless clipped', async () => {
    const result = (await runJob(
      spec({
        method: 'fgsm',
        perturbation: { ...config.perturbation, constraint: 'l2', epsilon: 1 },
      }),
      new RecordingReporter(),
    )) as AttackJobResult;
    expect(result.lossPerStep).toHaveLength(2);
    for (const example of result.examples) expect(example.l2Norm).toBeLessThanOrEqual(1 + 1e-4);
    expect(Math.max(...result.examples.map((e) => e.l2Norm))).toBeGreaterThan(0.5);
  });

  it('targeted success means the target class is predicted', async () => {
    const result = (await runJob(
      spec({ targetClass: 2, perturbation: { ...config.perturbation, epsilon: 0.3, steps: 10 } }),
      new RecordingReporter(),
    )) as AttackJobResult;
    for (const example of result.examples)
      expect(example.success).toBe(example.adversarialTop5[0]?.label === 2);
    expect(result.examples.filter((e) => e.success).length).toBeGreaterThan(65);
  });

  /** The same attack over the whole set, and as shards [0, 64) + [64, 130). */
  async function wholeAndShards(patch: Partial<AttackConfig>) {
    const whole = (await runJob(spec(patch), new RecordingReporter())) as AttackJobResult;
    const shard = (from: number, to: number, batchOffset: number): AttackJobSpec => ({
      ...spec(patch),
      images: { shape: [to - from, 28, 28, 1], data: pixels.slice(from * 784, to * 784) },
      labels: digits.labels.slice(from, to),
      batchOffset,
    });
    const a = (await runJob(shard(0, ATTACK_BATCH, 0), new RecordingReporter())) as AttackJobResult;
    const b = (await runJob(
      shard(ATTACK_BATCH, 130, 1),
      new RecordingReporter(),
    )) as AttackJobResult;
    return { whole, a, b };
  }

  it('APGD-CE: inside the ball, stronger than the clean model, and the same when sharded', async () => {
    const before = tf.memory().numTensors;
    const { whole, a, b } = await wholeAndShards({
      method: 'apgd-ce',
      perturbation: { ...config.perturbation, steps: 6 },
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(whole.lossPerStep.length).toBe(7);
    expect(whole.robustAccuracy).toBeLessThan(whole.cleanAccuracy);
    for (const example of whole.examples) {
      expect(example.linfNorm).toBeLessThanOrEqual(0.15 + 1e-5);
      expect(example.queries).toBeUndefined();
    }
    expect(Array.from(a.adversarial)).toEqual(
      Array.from(whole.adversarial.subarray(0, ATTACK_BATCH * 784)),
    );
    expect(Array.from(b.adversarial)).toEqual(
      Array.from(whole.adversarial.subarray(ATTACK_BATCH * 784)),
    );
  });

  it('APGD-T under L2 searches the top target classes', async () => {
    const result = (await runJob(
      spec({
        method: 'apgd-t',
        apgdTargets: 2,
        perturbation: { ...config.perturbation, constraint: 'l2', epsilon: 1.5, steps: 4 },
      }),
      new RecordingReporter(),
    )) as AttackJobResult;
    for (const example of result.examples) expect(example.l2Norm).toBeLessThanOrEqual(1.5 + 1e-4);
    expect(result.robustAccuracy).toBeLessThan(result.cleanAccuracy);
  });

  it('Square: per-example query counts within the budget, and the same when sharded', async () => {
    const { whole, a, b } = await wholeAndShards({
      method: 'square',
      squareQueries: 25,
      squareInitialFraction: 0.5,
      perturbation: { ...config.perturbation, epsilon: 0.3 },
    });
    expect(whole.lossPerStep).toEqual([]);
    // A black-box attack has no steps to stall.
    expect(whole.examples.some((e) => 'stalled' in e)).toBe(false);
    const queries = whole.examples.map((e) => e.queries ?? -1);
    expect(Math.min(...queries)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...queries)).toBeLessThanOrEqual(25);
    // Queries stop once an image is misclassified; one that resists spends the whole budget.
    whole.examples.forEach((example, i) => {
      if (!example.success) expect(queries[i]).toBe(25);
    });
    expect(queries.filter((q) => q < 25).length).toBeGreaterThan(10);
    expect(whole.robustAccuracy).toBeLessThan(whole.cleanAccuracy);
    expect([...a.examples, ...b.examples].map((e) => e.queries)).toEqual(queries);
    expect(Array.from(b.adversarial)).toEqual(
      Array.from(whole.adversarial.subarray(ATTACK_BATCH * 784)),
    );
  });

  it('PGD maximizes the chosen loss: CW margin, and targeted DLR toward the target', async () => {
    const cw = (await runJob(
      spec({ loss: 'cw-margin' }),
      new RecordingReporter(),
    )) as AttackJobResult;
    // The CW margin max_{j≠y} z_j − z_y rises from negative (mostly correct) towards positive.
    expect(cw.lossPerStep.at(-1) ?? -Infinity).toBeGreaterThan(cw.lossPerStep[0] ?? Infinity);
    expect(cw.robustAccuracy).toBeLessThan(cw.cleanAccuracy);
    const dlr = (await runJob(
      spec({
        loss: 'dlr-targeted',
        targetClass: 2,
        perturbation: { ...config.perturbation, epsilon: 0.3, steps: 10 },
      }),
      new RecordingReporter(),
    )) as AttackJobResult;
    for (const example of dlr.examples)
      expect(example.success).toBe(example.adversarialTop5[0]?.label === 2);
    expect(dlr.examples.filter((e) => e.success).length).toBeGreaterThan(40);
  });

  it('unconstrained PGD leaves the ε-ball but stays in [0,1]', async () => {
    const result = (await runJob(
      spec({
        perturbation: {
          constraint: 'unconstrained',
          epsilon: 0.5,
          steps: 10,
          stepSize: 1,
          randomStart: false,
        },
      }),
      new RecordingReporter(),
    )) as AttackJobResult;
    expect(Math.max(...result.examples.map((e) => e.l2Norm))).toBeGreaterThan(2);
    expect(Math.min(...result.adversarial)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...result.adversarial)).toBeLessThanOrEqual(1);
  });

  it('refuses combinations that make no sense', async () => {
    const reporter = new RecordingReporter();
    await expect(
      runJob(
        spec({
          method: 'square',
          perturbation: { ...config.perturbation, constraint: 'unconstrained' },
        }),
        reporter,
      ),
    ).rejects.toThrow(/the Square attack runs under linf or l2, not unconstrained/);
    await expect(runJob(spec({ method: 'apgd-ce', targetClass: 3 }), reporter)).rejects.toThrow(
      /apgd-ce is untargeted/,
    );
    await expect(runJob(spec({ method: 'apgd-t', loss: 'cw-margin' }), reporter)).rejects.toThrow(
      /the loss choice is for FGSM and PGD/,
    );
    await expect(runJob(spec({ loss: 'dlr-targeted' }), reporter)).rejects.toThrow(
      /needs a target class/,
    );
    await expect(
      runJob(spec({ method: 'fgsm-x' as AttackConfig['method'] }), reporter),
    ).rejects.toThrow(/unknown attack method fgsm-x/);
  });

  it('fails clearly on mismatched input', async () => {
    const reporter = new RecordingReporter();
    await expect(
      runJob({ ...spec(), labels: digits.labels.subarray(0, 3) }, reporter),
    ).rejects.toThrow(/130 images but 3 labels/);
    // A model saved for 28×28×3 images, sent grayscale ones: refused before its weights are read.
    await expect(
      runJob({ ...spec(), model: { ...spec().model, inputShape: [28, 28, 3] } }, reporter),
    ).rejects.toThrow(/images are 28×28×1 but the model takes 28×28×3/);
    await expect(runJob({ ...spec(), weights: weights.slice(0, 2) }, reporter)).rejects.toThrow(
      /weight conv2.weight is missing/,
    );
    await expect(
      runJob(spec({ perturbation: { ...config.perturbation, epsilon: -1 } }), reporter),
    ).rejects.toThrow(/ε must be greater than 0/);
  });
});
