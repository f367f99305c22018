/**
 * FAB-T as an engine method (engine/attacks/methods/fab-t.ts): what the evaluation scores is
 * FAB's closest misclassified point where that is within ε (+ fabNormTolerance), the clean image
 * elsewhere; at ε = 0 the clean images; and a larger ε never breaks fewer images.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFabTargeted } from '../../../../src-main/engine/attacks/fab-targeted';
import {
  fabNormTolerance,
  fabTargetedMethod,
} from '../../../../src-main/engine/attacks/methods/fab-t';
import type {
  MethodRequest,
  OptionsOf,
} from '../../../../src-main/engine/attacks/methods/method-run';
import type { fabT } from '../../../../src-main/common/attacks/fab-t';
import { correctPerExample } from '../../../../src-main/engine/attacks/transfer-attack';
import { useBackend } from '../use-backend';
import { attackFixture, type AttackFixture } from './attack-model';

let fixture: AttackFixture;

const options: OptionsOf<typeof fabT> = { method: 'fab-t', iterations: 15, targets: 2 };

function request(epsilon: number): MethodRequest<OptionsOf<typeof fabT>> {
  return {
    options,
    constraint: 'l2',
    epsilon,
    stepSize: null,
    randomStart: true,
    targetClass: null,
    loss: 'cross-entropy',
    seed: 0,
  };
}

function maxDifference(a: tf.Tensor4D, b: tf.Tensor4D): number[] {
  return tf.tidy(() => Array.from(tf.max(tf.abs(tf.sub(a, b)), [1, 2, 3]).dataSync()));
}

describe('FAB-T as an engine method', () => {
  beforeAll(async () => {
    await useBackend('wasm');
    fixture = attackFixture();
  });
  afterAll(() => fixture.dispose());

  it('returns the point FAB found where it is within ε, the clean image elsewhere', () => {
    const { model, images, labels } = fixture;
    // The shared fixture is weakly trained: its minimal L2 norms are 0 to about 0.8.
    const epsilon = 0.3;
    const fab = runFabTargeted(model, images, labels, {
      norm: 'l2',
      iterations: options.iterations,
      targets: options.targets,
      epsilon,
    });
    const outcome = fabTargetedMethod.run(model, images, labels, request(epsilon), {});
    const toFab = maxDifference(outcome.adversarial, fab.adversarial);
    const toClean = maxDifference(outcome.adversarial, images);
    const within = fab.norms.map((norm) => norm <= epsilon + fabNormTolerance);
    // Some images each way, or the test says nothing.
    expect(within.filter(Boolean).length).toBeGreaterThan(0);
    expect(within.filter((w) => !w).length).toBeGreaterThan(0);
    within.forEach((inside, n) => expect(inside ? toFab[n] : toClean[n]).toBe(0));
    const clean = correctPerExample(model, images, labels);
    const robust = correctPerExample(model, outcome.adversarial, labels);
    // Robust exactly where the image was correct and FAB found nothing within ε.
    robust.forEach((ok, n) => expect(ok).toBe(clean[n] === true && within[n] === false));
    expect(outcome.stalled?.filter((s, n) => s && clean[n] === true)).toEqual([]);
    tf.dispose([fab.adversarial, outcome.adversarial]);
  });

  it('returns the clean images at ε = 0, and breaks no fewer images at a larger ε', () => {
    const { model, images, labels } = fixture;
    const none = fabTargetedMethod.run(model, images, labels, request(0), {});
    expect(Math.max(...maxDifference(none.adversarial, images))).toBe(0);
    const robustAt = (epsilon: number) => {
      const outcome = fabTargetedMethod.run(model, images, labels, request(epsilon), {});
      const robust = correctPerExample(model, outcome.adversarial, labels);
      outcome.adversarial.dispose();
      return robust;
    };
    const small = robustAt(0.1);
    const large = robustAt(0.4);
    large.forEach((ok, n) => {
      if (ok) expect(small[n]).toBe(true);
    });
    none.adversarial.dispose();
  });
});
