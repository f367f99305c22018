import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linfNormPerExample } from '../../../../src-main/engine/attacks/constraints/per-example-norm';
import { runAttack } from '../../../../src-main/engine/attacks/pgd';
import { runSquareAttack } from '../../../../src-main/engine/attacks/square-attack';
import { squareFraction, squareSide } from '../../../../src-main/engine/attacks/square-schedule';
import {
  correctPerExample,
  transferAttack,
} from '../../../../src-main/engine/attacks/transfer-attack';
import type { Model } from '../../../../src-main/engine/models/model-types';
import { useBackend } from '../use-backend';
import { attackFixture, type AttackFixture } from './attack-model';

let fixture: AttackFixture;

/** The fixture model, counting forward passes and failing if one runs under a gradient tape. */
function forwardOnly(model: Model): { model: Model; forwards: () => number } {
  let forwards = 0;
  const engine = tf.engine() as unknown as { state: { gradientDepth: number } };
  return {
    model: {
      spec: model.spec,
      parameters: model.parameters,
      dispose: () => model.dispose(),
      forward: (images, options) => {
        if (engine.state.gradientDepth !== 0) throw new Error('a gradient was taken');
        forwards++;
        return model.forward(images, options);
      },
    },
    forwards: () => forwards,
  };
}

describe('the Square attack schedule', () => {
  it('halves p at 10, 50, 200, … of 10,000 and rescales other budgets', () => {
    expect(squareFraction(0.8, 0, 10000)).toBe(0.8);
    expect(squareFraction(0.8, 10, 10000)).toBe(0.8);
    expect(squareFraction(0.8, 11, 10000)).toBe(0.4);
    expect(squareFraction(0.8, 50, 10000)).toBe(0.4);
    expect(squareFraction(0.8, 51, 10000)).toBe(0.2);
    expect(squareFraction(0.8, 8001, 10000)).toBeCloseTo(0.8 / 512, 12);
    // 1,000 queries: iteration 2 is 20 on the 10,000 scale.
    expect(squareFraction(0.8, 2, 1000)).toBe(0.4);
    expect(squareSide(0.8, 28, 28)).toBe(25);
    expect(squareSide(0.0001, 28, 28)).toBe(1);
    expect(squareSide(1, 28, 28)).toBe(27);
  });
});

describe('the Square attack (L∞) and transfer attacks', () => {
  beforeAll(async () => {
    await useBackend('wasm');
    fixture = attackFixture();
  });
  afterAll(() => fixture.dispose());

  it('uses only forward passes, stays in the ball, and stops querying fooled examples', () => {
    const { model, forwards } = forwardOnly(fixture.model);
    const counts: number[] = [];
    const queries = 60;
    const outcome = runSquareAttack(
      model,
      fixture.images,
      fixture.labels,
      { constraint: 'linf', epsilon: 0.2, queries, seed: 1 },
      { beforeStep: () => counts.push(tf.memory().numTensors) },
    );
    const geometry = tf.tidy(() => ({
      distance:
        tf
          .max(linfNormPerExample(tf.sub(outcome.adversarial, fixture.images) as tf.Tensor4D))
          .dataSync()[0] ?? NaN,
      min: tf.min(outcome.adversarial).dataSync()[0] ?? NaN,
      max: tf.max(outcome.adversarial).dataSync()[0] ?? NaN,
    }));
    expect(geometry.distance).toBeLessThanOrEqual(0.2 + 1e-6);
    expect(geometry.min).toBeGreaterThanOrEqual(0);
    expect(geometry.max).toBeLessThanOrEqual(1);
    // One batched forward per iteration (plus the initialization); per example at most the budget.
    expect(forwards()).toBeLessThanOrEqual(queries);
    expect(Math.max(...outcome.queries)).toBeLessThanOrEqual(queries);
    expect(Math.min(...outcome.queries)).toBeGreaterThanOrEqual(1);
    const correct = correctPerExample(fixture.model, outcome.adversarial, fixture.labels);
    const margins = Array.from(outcome.margin.dataSync());
    correct.forEach((ok, n) => {
      expect((margins[n] ?? NaN) <= 0).toBe(ok);
      // An example still correct used the whole budget; a fooled one stopped when fooled.
      if (ok) expect(outcome.queries[n]).toBe(queries);
    });
    expect(correct.filter((ok) => !ok).length).toBeGreaterThan(
      correctPerExample(fixture.model, fixture.images, fixture.labels).filter((ok) => !ok).length,
    );
    expect(outcome.queries.some((q) => q < queries)).toBe(true);
    expect(new Set(counts).size).toBe(1);
    tf.dispose([outcome.adversarial, outcome.margin]);
  });

  it('returns x at ε = 0 with one query, and refuses bad settings', () => {
    const outcome = runSquareAttack(fixture.model, fixture.images, fixture.labels, {
      constraint: 'linf',
      epsilon: 0,
      queries: 50,
      seed: 1,
    });
    const moved = tf.tidy(
      () => tf.max(tf.abs(tf.sub(outcome.adversarial, fixture.images))).dataSync()[0] ?? NaN,
    );
    expect(moved).toBe(0);
    expect(new Set(outcome.queries)).toEqual(new Set([1]));
    tf.dispose([outcome.adversarial, outcome.margin]);
    const run = (patch: object) => () =>
      runSquareAttack(fixture.model, fixture.images, fixture.labels, {
        constraint: 'linf',
        epsilon: 0.1,
        queries: 10,
        seed: 1,
        ...patch,
      });
    expect(run({ constraint: 'unconstrained' })).toThrow(
      /Square attack runs under linf or l2, got unconstrained/,
    );
    expect(run({ queries: 0 })).toThrow(/queries must be a whole number ≥ 1/);
    expect(run({ initialFraction: 2 })).toThrow(/initial square fraction must be ≤ 1, got 2/);
  });

  it('transfer: craft on A, evaluate on B', () => {
    const other = attackFixture(11);
    const craft = (model: Model, images: tf.Tensor4D, labels: tf.Tensor1D): tf.Tensor4D => {
      const outcome = runAttack(model, images, labels, {
        constraint: 'linf',
        epsilon: 0.2,
        steps: 10,
        stepSize: 0.05,
        randomStart: true,
        restarts: 1,
        targetClass: null,
        seed: 1,
      });
      outcome.loss.dispose();
      return outcome.adversarial;
    };
    const before = tf.memory().numTensors;
    // Onto itself, transfer is the white-box attack: B's successes are A's.
    const self = transferAttack(
      fixture.model,
      fixture.model,
      fixture.images,
      fixture.labels,
      craft,
    );
    expect(self.targetSuccess).toEqual(self.sourceSuccess);
    expect(self.targetAccuracy).toBeCloseTo(
      self.sourceSuccess.filter((s) => !s).length / self.sourceSuccess.length,
      10,
    );
    const across = transferAttack(
      other.model,
      fixture.model,
      fixture.images,
      fixture.labels,
      craft,
    );
    expect(across.targetCleanAccuracy).toBe(self.targetCleanAccuracy);
    // A is really another model.
    const logitGap = tf.tidy(
      () =>
        tf
          .max(
            tf.abs(
              tf.sub(
                other.model.forward(fixture.images).logits,
                fixture.model.forward(fixture.images).logits,
              ),
            ),
          )
          .dataSync()[0] ?? NaN,
    );
    expect(logitGap).toBeGreaterThan(0.1);
    expect(across.targetAccuracy).toBeLessThan(across.targetCleanAccuracy);
    expect(tf.memory().numTensors).toBe(before);
    other.dispose();
  });
});
