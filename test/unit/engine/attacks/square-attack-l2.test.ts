import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { l2NormPerExample } from '../../../../src-main/engine/attacks/constraints/per-example-norm';
import {
  runSquareAttack,
  type SquareOptions,
  type SquareOutcome,
} from '../../../../src-main/engine/attacks/square-attack';
import { correctPerExample } from '../../../../src-main/engine/attacks/transfer-attack';
import { createModel } from '../../../../src-main/engine/models/create-model';
import type { Model } from '../../../../src-main/engine/models/model-types';
import { useBackend } from '../use-backend';
import { attackFixture, type AttackFixture } from './attack-model';

let fixture: AttackFixture;

const options = (patch: Partial<SquareOptions> = {}): SquareOptions => ({
  constraint: 'l2',
  epsilon: 2,
  queries: 80,
  seed: 1,
  ...patch,
});

/** Largest ‖x' − x‖₂ over the batch, and the pixel range of x'. */
function geometry(adversarial: tf.Tensor4D, images: tf.Tensor4D) {
  return tf.tidy(() => ({
    distance:
      tf.max(l2NormPerExample(tf.sub(adversarial, images) as tf.Tensor4D)).dataSync()[0] ?? NaN,
    min: tf.min(adversarial).dataSync()[0] ?? NaN,
    max: tf.max(adversarial).dataSync()[0] ?? NaN,
  }));
}

function release(outcome: SquareOutcome): void {
  tf.dispose([outcome.adversarial, outcome.margin]);
}

describe('the Square attack under L2', () => {
  beforeAll(async () => {
    await useBackend('wasm');
    fixture = attackFixture();
  });
  afterAll(() => fixture.dispose());

  it('stays in the ball and the box, fools many, and spends fewer queries on those it fools', () => {
    const counts: number[] = [];
    let forwards = 0;
    const counting: Model = {
      ...fixture.model,
      spec: fixture.model.spec,
      parameters: fixture.model.parameters,
      forward: (images, forwardOptions) => {
        forwards++;
        return fixture.model.forward(images, forwardOptions);
      },
    };
    const outcome = runSquareAttack(counting, fixture.images, fixture.labels, options(), {
      beforeStep: () => counts.push(tf.memory().numTensors),
    });
    const where = geometry(outcome.adversarial, fixture.images);
    expect(where.distance).toBeLessThanOrEqual(2 * (1 + 1e-5));
    // The candidates lie on the ε-sphere before clipping: the norm is used, not wasted.
    expect(where.distance).toBeGreaterThan(1.5);
    expect(where.min).toBeGreaterThanOrEqual(0);
    expect(where.max).toBeLessThanOrEqual(1);
    expect(forwards).toBeLessThanOrEqual(80);
    expect(new Set(counts).size).toBe(1);

    const clean = correctPerExample(fixture.model, fixture.images, fixture.labels);
    const after = correctPerExample(fixture.model, outcome.adversarial, fixture.labels);
    const margins = Array.from(outcome.margin.dataSync());
    after.forEach((ok, n) => {
      expect((margins[n] ?? NaN) <= 0).toBe(ok);
      if (ok) expect(outcome.queries[n]).toBe(80);
    });
    const attacked = clean.map((ok, n) => n).filter((n) => clean[n] === true);
    const fooled = attacked.filter((n) => after[n] === false);
    // Random search with ε = 2 on MNIST fools a clear share of the correctly classified digits.
    expect(fooled.length).toBeGreaterThanOrEqual(Math.ceil(attacked.length / 3));
    const mean = (list: number[]) =>
      list.reduce((s, n) => s + (outcome.queries[n] ?? 0), 0) / list.length;
    const resisted = attacked.filter((n) => after[n] === true);
    expect(mean(fooled)).toBeLessThan(resisted.length > 0 ? mean(resisted) : 80);
    expect(mean(fooled)).toBeLessThan(80);
    release(outcome);
  });

  it('never lowers the margin below the initialization, and is deterministic in the seed', () => {
    const start = runSquareAttack(
      fixture.model,
      fixture.images,
      fixture.labels,
      options({ queries: 1 }),
    );
    const first = runSquareAttack(
      fixture.model,
      fixture.images,
      fixture.labels,
      options({ queries: 30 }),
    );
    const again = runSquareAttack(
      fixture.model,
      fixture.images,
      fixture.labels,
      options({ queries: 30 }),
    );
    const other = runSquareAttack(
      fixture.model,
      fixture.images,
      fixture.labels,
      options({ queries: 30, seed: 2 }),
    );
    const initial = Array.from(start.margin.dataSync());
    const final = Array.from(first.margin.dataSync());
    final.forEach((margin, n) => expect(margin).toBeGreaterThanOrEqual(initial[n] ?? Infinity));
    expect(final.some((margin, n) => margin > (initial[n] ?? Infinity))).toBe(true);
    // The initialization already lies in the ball (one query each).
    expect(new Set(start.queries)).toEqual(new Set([1]));
    expect(geometry(start.adversarial, fixture.images).distance).toBeLessThanOrEqual(
      2 * (1 + 1e-5),
    );
    expect(Array.from(again.adversarial.dataSync())).toEqual(
      Array.from(first.adversarial.dataSync()),
    );
    expect(again.queries).toEqual(first.queries);
    expect(Array.from(other.adversarial.dataSync())).not.toEqual(
      Array.from(first.adversarial.dataSync()),
    );
    [start, first, again, other].forEach(release);
  });

  it('handles colour, non-square images and a tight ε; ε = 0 returns x', () => {
    const model = createModel({ architecture: 'mlp', inputShape: [9, 13, 3], numClasses: 4 }, 5);
    const images = tf.tidy(
      () => tf.randomUniform([6, 9, 13, 3], 0, 1, 'float32', 7) as tf.Tensor4D,
    );
    const labels = tf.tensor1d([0, 1, 2, 3, 0, 1], 'int32');
    const before = tf.memory().numTensors;
    for (const epsilon of [0.05, 0.7, 30]) {
      const outcome = runSquareAttack(model, images, labels, options({ epsilon, queries: 25 }));
      const where = geometry(outcome.adversarial, images);
      expect(where.distance).toBeLessThanOrEqual(epsilon * (1 + 1e-5));
      expect(where.min).toBeGreaterThanOrEqual(0);
      expect(where.max).toBeLessThanOrEqual(1);
      release(outcome);
    }
    const still = runSquareAttack(model, images, labels, options({ epsilon: 0, queries: 25 }));
    expect(Array.from(still.adversarial.dataSync())).toEqual(Array.from(images.dataSync()));
    expect(new Set(still.queries)).toEqual(new Set([1]));
    release(still);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([images, labels]);
    model.dispose();
  });

  it('stops when a hook throws (cancellation) and refuses bad settings', () => {
    const before = tf.memory().numTensors;
    expect(() =>
      runSquareAttack(fixture.model, fixture.images, fixture.labels, options(), {
        beforeStep: (_run, step) => {
          if (step === 3) throw new Error('cancelled');
        },
      }),
    ).toThrow(/cancelled/);
    expect(tf.memory().numTensors).toBe(before);
    const run = (patch: object) => () =>
      runSquareAttack(fixture.model, fixture.images, fixture.labels, { ...options(), ...patch });
    expect(run({ constraint: 'l1' })).toThrow(/Square attack runs under linf or l2, got l1/);
    expect(run({ epsilon: -1 })).toThrow(/ε/);
    expect(run({ epsilon: Number.NaN })).toThrow(/ε/);
    expect(run({ queries: 2.5 })).toThrow(/queries must be a whole number ≥ 1/);
    expect(run({ initialFraction: 0 })).toThrow(/initial square fraction/);
    expect(run({ seed: 0.5 })).toThrow(/seed must be a whole number, got 0.5/);
  });
});
