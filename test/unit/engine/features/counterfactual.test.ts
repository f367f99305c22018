/**
 * Counterfactual edits: the editing model's target probability rises within the ε-ball, every
 * step carries both models' predictions, predictionsOf on a frame gives the same numbers, no
 * tensor leaks, and mismatched models are refused.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { l2NormPerExample } from '../../../../src-main/engine/attacks/constraints/per-example-norm';
import { predictionsOf } from '../../../../src-main/engine/features/class-predictions';
import { counterfactualEdit } from '../../../../src-main/engine/features/counterfactual';
import { featuresDefaults } from '../../../../src-main/common/features-defaults';
import { createModel } from '../../../../src-main/engine/models/create-model';
import type { Model } from '../../../../src-main/engine/models/model-types';
import { attackFixture, type AttackFixture } from '../attacks/attack-model';
import { useBackend } from '../use-backend';

describe('counterfactualEdit', () => {
  let fixture: AttackFixture;
  /** An untrained second model: only watched. */
  let watcher: Model;
  let images: tf.Tensor4D;
  /** Digits 0, 1, 2 → made into 8s. */
  const targets = [8, 8, 8];

  beforeAll(async () => {
    // wasm, as the attack tests: the fixture trains a small-cnn, far slower on the cpu backend.
    await useBackend('wasm');
    fixture = attackFixture();
    watcher = createModel(
      { architecture: 'small-cnn', inputShape: [28, 28, 1], numClasses: 10 },
      99,
    );
    images = tf.tidy(() => tf.slice(fixture.images, 0, 3));
  });

  afterAll(() => {
    images.dispose();
    watcher.dispose();
    fixture.dispose();
  });

  it('raises the target probability within ε and reports both models at every step', () => {
    const defaults = featuresDefaults([28, 28, 1]).counterfactual;
    const steps = 15;
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    const live: ReturnType<typeof predictionsOf>[] = [];
    const outcome = counterfactualEdit(
      [fixture.model, watcher],
      images,
      targets,
      { ...defaults, steps },
      {
        beforeStep: () => counts.push(tf.memory().numTensors),
        onFrame: (_t, frame) => live.push(predictionsOf([fixture.model, watcher], frame, targets)),
      },
    );
    expect(new Set(counts).size).toBe(1);
    const { predictionsPerStep } = outcome;
    expect(predictionsPerStep).toHaveLength(steps + 1);
    for (const perModel of predictionsPerStep) {
      expect(perModel).toHaveLength(2);
      for (const { targetProbability, predictedClass } of perModel) {
        expect(targetProbability).toHaveLength(3);
        expect(predictedClass).toHaveLength(3);
        expect(targetProbability.every((p) => p >= 0 && p <= 1)).toBe(true);
        expect(predictedClass.every((k) => Number.isInteger(k) && k >= 0 && k < 10)).toBe(true);
      }
    }
    // What a job computes per frame is what the outcome recorded for that step.
    expect(live).toHaveLength(steps);
    live.forEach((frame, t) => {
      frame.forEach((model, m) => {
        const recorded = predictionsPerStep[t + 1]?.[m];
        expect(model.predictedClass).toEqual(recorded?.predictedClass);
        model.targetProbability.forEach((p, n) =>
          expect(p).toBeCloseTo(recorded?.targetProbability[n] ?? NaN, 6),
        );
      });
    });
    // At the start the editing model does not call these digits 8s; the edit raises p(8).
    const editorFirst = predictionsPerStep[0]?.[0];
    const editorLast = predictionsPerStep.at(-1)?.[0];
    expect(editorFirst?.predictedClass).toEqual(fixture.labels.arraySync().slice(0, 3));
    editorFirst?.targetProbability.forEach((p, n) =>
      expect(editorLast?.targetProbability[n] ?? NaN).toBeGreaterThan(p),
    );
    const distances = tf.tidy(() =>
      Array.from(l2NormPerExample(tf.sub(outcome.images, images) as tf.Tensor4D).dataSync()),
    );
    for (const d of distances) expect(d).toBeLessThanOrEqual(defaults.epsilon + 1e-4);
    outcome.images.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('edits with one model alone', () => {
    const outcome = counterfactualEdit([fixture.model], images, targets, {
      epsilon: 1,
      steps: 2,
      stepSize: 0.5,
    });
    expect(outcome.predictionsPerStep.every((perModel) => perModel.length === 1)).toBe(true);
    outcome.images.dispose();
  });

  it('refuses no model, mismatched models and bad classes with clear messages', () => {
    const options = { epsilon: 1, steps: 1, stepSize: 0.1 };
    expect(() => counterfactualEdit([], images, targets, options)).toThrow(
      /needs at least one model/,
    );
    const color = createModel(
      { architecture: 'small-cnn', inputShape: [28, 28, 3], numClasses: 10 },
      1,
    );
    expect(() => counterfactualEdit([fixture.model, color], images, targets, options)).toThrow(
      /model 2 takes 28×28×3 images but model 1 takes 28×28×1/,
    );
    const fewer = createModel(
      { architecture: 'small-cnn', inputShape: [28, 28, 1], numClasses: 4 },
      1,
    );
    expect(() => counterfactualEdit([fixture.model, fewer], images, targets, options)).toThrow(
      /model 2 has 4 classes but model 1 has 10/,
    );
    expect(() => counterfactualEdit([fixture.model], images, [8, 8, -1], options)).toThrow(
      /target class -1 \(image 2\) is out of range/,
    );
    color.dispose();
    fewer.dispose();
  });
});
