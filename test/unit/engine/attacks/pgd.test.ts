import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fgsmOptions,
  type AttackOptions,
} from '../../../../src-main/engine/attacks/attack-options';
import {
  l2NormPerExample,
  linfNormPerExample,
} from '../../../../src-main/engine/attacks/constraints/per-example-norm';
import { crossEntropyPerExample } from '../../../../src-main/engine/attacks/per-example-loss';
import { runAttack } from '../../../../src-main/engine/attacks/pgd';
import { JobCancelledError } from '../../../../src-main/engine/engine-types';
import { useBackend } from '../use-backend';
import { attackFixture, type AttackFixture } from './attack-model';

let fixture: AttackFixture;

const linf: AttackOptions = {
  constraint: 'linf',
  epsilon: 0.1,
  steps: 10,
  stepSize: 0.025,
  randomStart: true,
  restarts: 1,
  targetClass: null,
  seed: 1,
};
const l2: AttackOptions = { ...linf, constraint: 'l2', epsilon: 1.5, stepSize: 0.4 };

function meanLoss(images: tf.Tensor4D, labels: tf.Tensor1D): number {
  return tf.tidy(
    () =>
      tf.mean(crossEntropyPerExample(fixture.model.forward(images).logits, labels)).dataSync()[0] ??
      NaN,
  );
}

/** Per example: ‖x' − x‖ in the norm, min and max pixel. */
function geometry(adversarial: tf.Tensor4D): {
  linf: number[];
  l2: number[];
  min: number;
  max: number;
} {
  return tf.tidy(() => {
    const delta = tf.sub(adversarial, fixture.images) as tf.Tensor4D;
    return {
      linf: Array.from(linfNormPerExample(delta).dataSync()),
      l2: Array.from(l2NormPerExample(delta).dataSync()),
      min: tf.min(adversarial).dataSync()[0] ?? NaN,
      max: tf.max(adversarial).dataSync()[0] ?? NaN,
    };
  });
}

describe('PGD and FGSM', () => {
  beforeAll(async () => {
    await useBackend('wasm');
    fixture = attackFixture();
  });
  afterAll(() => fixture.dispose());

  it.each([
    ['linf', linf],
    ['l2', l2],
  ] as const)('%s PGD stays in the ε-ball and [0,1] and raises the loss', (name, options) => {
    const outcome = runAttack(fixture.model, fixture.images, fixture.labels, options);
    const g = geometry(outcome.adversarial);
    const norms = name === 'linf' ? g.linf : g.l2;
    expect(Math.max(...norms)).toBeLessThanOrEqual(options.epsilon + 1e-5);
    expect(g.min).toBeGreaterThanOrEqual(0);
    expect(g.max).toBeLessThanOrEqual(1);
    const clean = meanLoss(fixture.images, fixture.labels);
    const attacked = meanLoss(outcome.adversarial, fixture.labels);
    expect(attacked).toBeGreaterThan(clean * 1.5);
    expect(outcome.lossPerStep).toHaveLength(options.steps + 1);
    expect(outcome.lossPerStep[options.steps] ?? 0).toBeGreaterThan(
      outcome.lossPerStep[0] ?? Infinity,
    );
    // The reported per-example loss is the loss at the returned point.
    const reported = tf.tidy(() => tf.mean(outcome.loss).dataSync()[0] ?? NaN);
    expect(reported).toBeCloseTo(attacked, 3);
    tf.dispose([outcome.adversarial, outcome.loss]);
  });

  it('targeted PGD lowers the loss of the target class', () => {
    const target = 3;
    const options = { ...linf, epsilon: 0.2, stepSize: 0.05, targetClass: target };
    const outcome = runAttack(fixture.model, fixture.images, fixture.labels, options);
    const targets = tf.fill([fixture.labels.shape[0]], target, 'int32') as tf.Tensor1D;
    const before = meanLoss(fixture.images, targets);
    const after = meanLoss(outcome.adversarial, targets);
    expect(after).toBeLessThan(before * 0.7);
    expect(outcome.lossPerStep[0] ?? 0).toBeGreaterThan(
      outcome.lossPerStep[options.steps] ?? Infinity,
    );
    expect(Math.max(...geometry(outcome.adversarial).linf)).toBeLessThanOrEqual(0.2 + 1e-5);
    tf.dispose([outcome.adversarial, outcome.loss, targets]);
  });

  it('FGSM takes one ε-sized sign step from x (L∞)', () => {
    const outcome = runAttack(
      fixture.model,
      fixture.images,
      fixture.labels,
      fgsmOptions({ ...linf, epsilon: 0.1 }),
    );
    const g = geometry(outcome.adversarial);
    expect(Math.max(...g.linf)).toBeCloseTo(0.1, 5);
    // Without clipping every pixel moves by exactly ε; with clipping some move less, never more.
    const movedTensor = tf.tidy(() => tf.abs(tf.sub(outcome.adversarial, fixture.images)));
    const moved = movedTensor.dataSync();
    movedTensor.dispose();
    expect(Array.from(moved).every((d) => d <= 0.1 + 1e-6)).toBe(true);
    expect(outcome.lossPerStep).toHaveLength(2);
    expect(meanLoss(outcome.adversarial, fixture.labels)).toBeGreaterThan(
      meanLoss(fixture.images, fixture.labels),
    );
    tf.dispose([outcome.adversarial, outcome.loss]);
  });

  it('restarts keep the per-example worst case: never below a single run', () => {
    const options = { ...linf, steps: 3, stepSize: 0.04 };
    const single = runAttack(fixture.model, fixture.images, fixture.labels, options);
    const several = runAttack(fixture.model, fixture.images, fixture.labels, {
      ...options,
      restarts: 3,
    });
    const a = single.loss.dataSync();
    const b = several.loss.dataSync();
    for (let i = 0; i < a.length; i++)
      expect(b[i] ?? -Infinity).toBeGreaterThanOrEqual((a[i] ?? 0) - 1e-6);
    expect(several.lossPerStep).toEqual(single.lossPerStep);
    tf.dispose([single.adversarial, single.loss, several.adversarial, several.loss]);
  });

  it('keeps the tensor count constant across steps', () => {
    const counts: number[] = [];
    const outcome = runAttack(
      fixture.model,
      fixture.images,
      fixture.labels,
      { ...l2, steps: 25, restarts: 2 },
      {
        beforeStep: () => counts.push(tf.memory().numTensors),
      },
    );
    expect(new Set(counts.slice(1)).size).toBe(1);
    tf.dispose([outcome.adversarial, outcome.loss]);
    const before = tf.memory().numTensors;
    const again = runAttack(fixture.model, fixture.images, fixture.labels, linf);
    tf.dispose([again.adversarial, again.loss]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops on cancel without leaking tensors', () => {
    const before = tf.memory().numTensors;
    expect(() =>
      runAttack(fixture.model, fixture.images, fixture.labels, linf, {
        beforeStep: (_r, step) => {
          if (step === 4) throw new JobCancelledError();
        },
      }),
    ).toThrow(JobCancelledError);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('at ε = 0 returns x itself (S(x) = {x}), whatever the step size', () => {
    for (const options of [linf, l2, fgsmOptions({ ...linf, epsilon: 0 })]) {
      const outcome = runAttack(fixture.model, fixture.images, fixture.labels, {
        ...options,
        epsilon: 0,
      });
      const moved = tf.tidy(
        () => tf.max(tf.abs(tf.sub(outcome.adversarial, fixture.images))).dataSync()[0] ?? NaN,
      );
      expect(moved).toBe(0);
      tf.dispose([outcome.adversarial, outcome.loss]);
    }
  });

  it('refuses bad settings with clear messages', () => {
    const run =
      (patch: Partial<AttackOptions>): (() => void) =>
      () =>
        runAttack(fixture.model, fixture.images, fixture.labels, { ...linf, ...patch });
    expect(run({ epsilon: -0.1 })).toThrow(/ε must be greater than 0/);
    expect(run({ epsilon: Number.NaN })).toThrow(/ε must be a finite number/);
    expect(run({ epsilon: Infinity })).toThrow(/ε must be a finite number/);
    expect(run({ steps: 0 })).toThrow(/steps must be a whole number ≥ 1/);
    expect(run({ steps: 2.5 })).toThrow(/steps must be a whole number/);
    expect(run({ stepSize: -1 })).toThrow(/step size must be greater than 0/);
    expect(run({ restarts: 0 })).toThrow(/restarts must be a whole number ≥ 1/);
    expect(run({ constraint: 'l1' as never })).toThrow(
      /constraint must be one of linf, l2, unconstrained, got l1/,
    );
    expect(run({ targetClass: 10 })).toThrow(/target class must be a class index 0..9/);
    const wrong = tf.zeros([2, 14, 14, 1]) as tf.Tensor4D;
    expect(() => runAttack(fixture.model, wrong, tf.tensor1d([0, 1], 'int32'), linf)).toThrow(
      /images are 14×14×1 but the model takes 28×28×1/,
    );
    wrong.dispose();
  });
});
