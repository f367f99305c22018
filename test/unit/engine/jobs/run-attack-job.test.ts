import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttackConfig } from '../../../../src-main/common/schemas';
import { ATTACK_BATCH } from '../../../../src-main/engine/jobs/run-attack-job';
import { runJob } from '../../../../src-main/engine/jobs/run-job';
import { exportWeights } from '../../../../src-main/engine/models/model-weights';
import type {
  AttackJobResult,
  AttackJobSpec,
  WeightTensor,
} from '../../../../src-main/engine/protocol';
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
