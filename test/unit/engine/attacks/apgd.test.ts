import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runApgd, type ApgdOptions } from '../../../../src-main/engine/attacks/apgd';
import {
  apgdCheckpoints,
  checkpointFractions,
} from '../../../../src-main/engine/attacks/apgd-schedule';
import {
  runApgdTargeted,
  targetClassesByRank,
} from '../../../../src-main/engine/attacks/apgd-targeted';
import {
  l2NormPerExample,
  linfNormPerExample,
} from '../../../../src-main/engine/attacks/constraints/per-example-norm';
import { runAttack } from '../../../../src-main/engine/attacks/pgd';
import { correctPerExample } from '../../../../src-main/engine/attacks/transfer-attack';
import { JobCancelledError } from '../../../../src-main/engine/engine-types';
import { useBackend } from '../use-backend';
import { attackFixture, type AttackFixture } from './attack-model';

let fixture: AttackFixture;

const linf: ApgdOptions = {
  constraint: 'linf',
  epsilon: 0.1,
  iterations: 20,
  restarts: 1,
  randomStart: true,
  seed: 2,
};

function accuracy(x: tf.Tensor4D): number {
  const correct = correctPerExample(fixture.model, x, fixture.labels);
  return correct.filter((c) => c).length / correct.length;
}

function distances(
  x: tf.Tensor4D,
  norm: 'linf' | 'l2',
): { max: number; min: number; maxPixel: number } {
  return tf.tidy(() => {
    const delta = tf.sub(x, fixture.images) as tf.Tensor4D;
    const norms = norm === 'linf' ? linfNormPerExample(delta) : l2NormPerExample(delta);
    return {
      max: tf.max(norms).dataSync()[0] ?? NaN,
      min: tf.min(x).dataSync()[0] ?? NaN,
      maxPixel: tf.max(x).dataSync()[0] ?? NaN,
    };
  });
}

describe('APGD checkpoints', () => {
  it('follow p_{j+1} = p_j + max(p_j − p_{j−1} − 0.03, 0.06)', () => {
    expect(checkpointFractions()).toEqual([22, 41, 57, 70, 80, 87, 93, 99]);
    expect(apgdCheckpoints(100)).toEqual([22, 41, 57, 70, 80, 87, 93, 99]);
    // ⌈p·N⌉: 0.22·10 = 2.2 → 3, 0.41·10 → 5, …, 0.93·10 → 10, 0.99·10 → 10 (merged).
    expect(apgdCheckpoints(10)).toEqual([3, 5, 6, 7, 8, 9, 10]);
    expect(apgdCheckpoints(1)).toEqual([1]);
    expect(() => apgdCheckpoints(0)).toThrow(/iterations must be a whole number ≥ 1/);
  });
});

describe('APGD-CE and APGD-T', () => {
  beforeAll(async () => {
    await useBackend('wasm');
    fixture = attackFixture();
  });
  afterAll(() => fixture.dispose());

  it.each([
    ['linf', linf],
    ['l2', { ...linf, constraint: 'l2', epsilon: 1.5 }],
  ] as const)('%s APGD-CE stays in the ball and [0,1], and halves its step', (norm, options) => {
    const outcome = runApgd(fixture.model, fixture.images, fixture.labels, options);
    const g = distances(outcome.adversarial, norm);
    expect(g.max).toBeLessThanOrEqual(options.epsilon + 1e-5);
    expect(g.min).toBeGreaterThanOrEqual(0);
    expect(g.maxPixel).toBeLessThanOrEqual(1);
    expect(outcome.lossPerStep).toHaveLength(options.iterations + 1);
    expect(outcome.lossPerStep.at(-1) ?? 0).toBeGreaterThan(outcome.lossPerStep[0] ?? Infinity);
    // η starts at 2ε and only ever halves: every final η is 2ε / 2^k.
    for (const eta of outcome.finalStepSizes) {
      const halvings = Math.log2((2 * options.epsilon) / eta);
      expect(halvings).toBeGreaterThanOrEqual(0);
      expect(Math.abs(halvings - Math.round(halvings))).toBeLessThan(1e-4);
    }
    expect(Math.min(...outcome.finalStepSizes)).toBeLessThan(2 * options.epsilon);
    // The margin reported is the one at the returned point.
    const correct = correctPerExample(fixture.model, outcome.adversarial, fixture.labels);
    Array.from(outcome.margin.dataSync()).forEach((m, n) => expect(m <= 0).toBe(correct[n]));
    tf.dispose([outcome.adversarial, outcome.margin]);
  });

  it('is at least as strong as PGD with the same budget', () => {
    // A small ε, where PGD leaves some examples correct, so that the comparison can fail.
    const epsilon = 0.04;
    const pgd = runAttack(fixture.model, fixture.images, fixture.labels, {
      constraint: 'linf',
      epsilon,
      steps: 20,
      stepSize: epsilon / 4,
      randomStart: true,
      restarts: 1,
      targetClass: null,
      seed: 2,
    });
    const apgd = runApgd(fixture.model, fixture.images, fixture.labels, { ...linf, epsilon });
    const clean = accuracy(fixture.images);
    const pgdAccuracy = accuracy(pgd.adversarial);
    const apgdAccuracy = accuracy(apgd.adversarial);
    console.log(`ε ${epsilon}: clean ${clean}, PGD-20 ${pgdAccuracy}, APGD-CE-20 ${apgdAccuracy}`);
    expect(pgdAccuracy).toBeLessThan(clean);
    expect(pgdAccuracy).toBeGreaterThan(0);
    expect(apgdAccuracy).toBeLessThanOrEqual(pgdAccuracy);
    tf.dispose([pgd.adversarial, pgd.loss, apgd.adversarial, apgd.margin]);
  });

  it('APGD-T aims at distinct classes, never the true one, in order of the clean logits', () => {
    const outcome = runApgdTargeted(fixture.model, fixture.images, fixture.labels, {
      ...linf,
      epsilon: 0.05,
      iterations: 5,
      targets: 20,
    });
    const labels = Array.from(fixture.labels.dataSync());
    // More targets than C − 1 = 9 are clamped; runs stop early once every example is fooled.
    expect(outcome.targetClasses.length).toBeGreaterThan(0);
    expect(outcome.targetClasses.length).toBeLessThanOrEqual(9);
    labels.forEach((y, n) => {
      const aimed = outcome.targetClasses.map((run) => run[n]);
      expect(new Set(aimed).size).toBe(aimed.length);
      expect(aimed).not.toContain(y);
    });
    expect(distances(outcome.adversarial, 'linf').max).toBeLessThanOrEqual(0.05 + 1e-5);
    tf.dispose([outcome.adversarial, outcome.margin]);

    const ranked = tf.tidy(() =>
      targetClassesByRank(tf.tensor2d([[0, 5, 9, 1, 7]]), tf.tensor1d([2], 'int32'), 4).arraySync(),
    );
    expect(ranked).toEqual([[4, 1, 3, 0]]);
  });

  it('APGD-T is at least as strong as no attack and fools some examples', () => {
    const outcome = runApgdTargeted(fixture.model, fixture.images, fixture.labels, {
      ...linf,
      targets: 3,
    });
    expect(accuracy(outcome.adversarial)).toBeLessThan(accuracy(fixture.images));
    tf.dispose([outcome.adversarial, outcome.margin]);
  });

  it('keeps the tensor count constant across iterations and runs, and cancels cleanly', () => {
    const counts: number[] = [];
    const before = tf.memory().numTensors;
    const outcome = runApgd(
      fixture.model,
      fixture.images,
      fixture.labels,
      { ...linf, epsilon: 0.02, restarts: 2 },
      { beforeStep: () => counts.push(tf.memory().numTensors) },
    );
    expect(counts.length).toBeGreaterThan(20);
    expect(new Set(counts).size).toBe(1);
    tf.dispose([outcome.adversarial, outcome.margin]);
    expect(tf.memory().numTensors).toBe(before);

    for (const run of [
      () =>
        runApgd(fixture.model, fixture.images, fixture.labels, linf, {
          beforeStep: (_run, step) => {
            if (step === 7) throw new JobCancelledError();
          },
        }),
      () =>
        runApgdTargeted(
          fixture.model,
          fixture.images,
          fixture.labels,
          { ...linf, epsilon: 0.02, targets: 3 },
          {
            beforeStep: (run, step) => {
              if (run === 1 && step === 3) throw new JobCancelledError();
            },
          },
        ),
    ]) {
      expect(run).toThrow(JobCancelledError);
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  it('refuses bad settings with clear messages', () => {
    const run = (patch: Partial<ApgdOptions>) => () =>
      runApgd(fixture.model, fixture.images, fixture.labels, { ...linf, ...patch });
    expect(run({ constraint: 'unconstrained' as never })).toThrow(
      /APGD runs under linf or l2, got unconstrained/,
    );
    expect(run({ epsilon: -1 })).toThrow(/ε must be greater than 0/);
    expect(run({ iterations: 0 })).toThrow(/iterations must be a whole number ≥ 1/);
    expect(run({ restarts: 1.5 })).toThrow(/restarts must be a whole number ≥ 1/);
    expect(() =>
      runApgdTargeted(fixture.model, fixture.images, fixture.labels, { ...linf, targets: 0 }),
    ).toThrow(/target classes must be a whole number ≥ 1/);
  });
});
