import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Model } from '../../../../src-main/engine/models/model-types';
import { evaluationAttack } from '../../../../src-main/engine/evaluation/evaluation-attack';
import { inputGradientSummary } from '../../../../src-main/engine/evaluation/input-gradients';
import { robustAccuracyCurves } from '../../../../src-main/engine/evaluation/robust-accuracy';
import { EvaluationConfig } from '../../../../src-main/common/evaluation-schemas';
import { ImageSource } from '../../../../src-main/engine/data/image-source';
import { summarizeMeasurements } from '../../../../src-main/engine/jobs/evaluation-measurements';
import { ProgressThrottle } from '../../../../src-main/engine/progress/progress-throttle';
import { measureModel } from '../../../../src-main/engine/jobs/run-evaluation-job';
import { RecordingReporter } from '../recording-reporter';
import { attackFixture, type AttackFixture } from '../attacks/attack-model';
import { useBackend } from '../use-backend';

let fixture: AttackFixture;

/** Identity forward, zero backward: the classic gradient-masking defense. */
const zeroGradient = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = inputs[0];
  if (!(x instanceof tf.Tensor)) throw new Error('one tensor');
  return { value: tf.clone(x), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) };
});

/**
 * The fixture model with its input gradients broken: 'masked' keeps its predictions but
 * returns ∇ₓ = 0; 'poisoned' adds NaN · Σx to every logit, so the gradients are NaN.
 */
function brokenModel(model: Model, kind: 'masked' | 'poisoned'): Model {
  return {
    spec: model.spec,
    parameters: model.parameters,
    dispose: () => undefined,
    forward: (images) => {
      const output = model.forward(images);
      const logits =
        kind === 'masked'
          ? (zeroGradient(output.logits) as tf.Tensor2D)
          : (tf.add(
              output.logits,
              tf.mul(tf.reshape(tf.sum(images, [1, 2, 3]), [-1, 1]), Number.NaN),
            ) as tf.Tensor2D);
      return { logits, representation: output.representation };
    },
  };
}

describe('robust accuracy curves and the sanity suite', () => {
  beforeAll(async () => {
    await useBackend('wasm');
    fixture = attackFixture();
  });
  afterAll(() => fixture.dispose());

  it('curves fall with ε, start at the clean accuracy, and bound the worst case', () => {
    const epsilons = [0, 0.05, 0.1, 0.2];
    const before = tf.memory().numTensors;
    const progress: number[] = [];
    const result = robustAccuracyCurves(
      fixture.model,
      fixture.images,
      fixture.labels,
      epsilons,
      [
        evaluationAttack({ method: 'fgsm' }, 'linf', 0),
        evaluationAttack({ method: 'pgd', steps: 10, stepFraction: 0.25, restarts: 1 }, 'linf', 1),
        evaluationAttack({ method: 'apgd-ce', iterations: 10, restarts: 1 }, 'linf', 1),
        evaluationAttack({ method: 'apgd-t', iterations: 5, restarts: 1, targets: 2 }, 'linf', 1),
        evaluationAttack({ method: 'square', queries: 20, initialFraction: 0.8 }, 'linf', 1),
      ],
      { onProgress: (done) => progress.push(done) },
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(progress).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    for (const curve of result.curves) {
      expect(curve.accuracy[0]).toBe(result.cleanAccuracy);
      for (let i = 1; i < curve.accuracy.length; i++) {
        expect(curve.accuracy[i]).toBeLessThanOrEqual((curve.accuracy[i - 1] ?? 0) + 1 / 20);
      }
    }
    result.worstCase.forEach((worst, e) => {
      for (const curve of result.curves) expect(worst).toBeLessThanOrEqual(curve.accuracy[e] ?? 0);
    });
    expect(result.worstCase.at(-1)).toBeLessThan(result.cleanAccuracy);
    expect(result.ball).toHaveLength(20);
    expect(() =>
      robustAccuracyCurves(
        fixture.model,
        fixture.images,
        fixture.labels,
        [-1],
        [evaluationAttack({ method: 'fgsm' }, 'l2', 0)],
      ),
    ).toThrow(/every ε must be a finite number ≥ 0, got -1/);
  });

  it('input gradients: non-zero on a real model, zero or non-finite on broken ones', () => {
    const real = inputGradientSummary(fixture.model, fixture.images, fixture.labels);
    expect(real.nonFinite).toBe(0);
    expect(Math.min(...real.norms)).toBeGreaterThan(0);
    const flat = inputGradientSummary(
      brokenModel(fixture.model, 'masked'),
      fixture.images,
      fixture.labels,
    );
    expect(Math.max(...flat.norms)).toBe(0);
    const poisoned = inputGradientSummary(
      brokenModel(fixture.model, 'poisoned'),
      fixture.images,
      fixture.labels,
    );
    expect(poisoned.nonFinite).toBeGreaterThan(0);
  });

  it('the evaluation passes every check on the trained model, and flags a gradient-masked one', () => {
    const images = tf.slice(fixture.images, [0, 0, 0, 0], [10, -1, -1, -1]);
    const labels = tf.slice(fixture.labels, [0], [10]);
    const [n, h, w, c] = images.shape;
    const source = new ImageSource(
      { shape: [n, h, w, c], data: Float32Array.from(images.dataSync()) },
      Int32Array.from(labels.dataSync()),
      fixture.model.spec.numClasses,
      'images',
    );
    tf.dispose([images, labels]);
    const spec = {
      kind: 'evaluation' as const,
      config: EvaluationConfig.parse({
        modelId: 1,
        datasetId: 1,
        count: n,
        constraint: 'linf',
        epsilons: [0.05, 0.1],
        attacks: [
          { method: 'fgsm' },
          { method: 'pgd', steps: 10 },
          { method: 'square', queries: 30 },
        ],
        transferModelId: null,
        seed: 1,
      }),
      model: fixture.model.spec,
      weights: [],
      transferSource: null,
      images: {
        shape: [n, h, w, c] as [number, number, number, number],
        data: new Float32Array(0),
      },
      labels: new Int32Array(0),
      batchOffset: 0,
    };
    const checksOf = (model: Model) =>
      summarizeMeasurements(
        measureModel(model, source, spec, null, new ProgressThrottle(new RecordingReporter())),
      ).checks;
    const checks = checksOf(fixture.model);
    for (const check of checks)
      console.log(`${check.passed ? 'pass' : 'FAIL'} ${check.name}: ${check.detail}`);
    expect(checks.map((c) => c.name)).toContain('input gradients are finite and non-zero');
    expect(checks.map((c) => c.name)).toContain(
      'gradient attacks moved every image they did not break',
    );
    expect(checks.every((c) => c.passed)).toBe(true);
    // Gradient masking: same predictions, ∇ₓ = 0. PGD cannot move, the Square attack can.
    const failed = checksOf(brokenModel(fixture.model, 'masked'))
      .filter((c) => !c.passed)
      .map((c) => c.name);
    expect(failed).toContain('input gradients are finite and non-zero');
    // FGSM and PGD left the images they did not break where they started.
    expect(failed).toContain('gradient attacks moved every image they did not break');
    expect(failed.some((name) => /^Square-30 does not beat the white-box/.test(name))).toBe(true);
  });
});
