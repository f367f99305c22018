/**
 * The attack registry's engine half (engine/attacks/methods): every registered method runs on a
 * small trained model through the two ways in, an attack job's batch and an evaluation attack,
 * inside its ball, with its hooks counted as its descriptor says; and every method the evaluation
 * offers is there.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attackJobFields,
  defaultOptions,
  methodDescriptors,
  type AttackMethodName,
  type MethodOptions,
} from '../../../../../src-main/common/attacks/attack-registry';
import {
  attackConfigProblems,
  EvaluationMethod,
  withAttackDefaults,
} from '../../../../../src-main/common/evaluation-schemas';
import type { ConstraintName } from '../../../../../src-main/common/attacks/threat-models';
import { engineMethods } from '../../../../../src-main/engine/attacks/methods/method-registry';
import type { EngineMethod } from '../../../../../src-main/engine/attacks/methods/method-run';
import { evaluationAttack } from '../../../../../src-main/engine/evaluation/evaluation-attack';
import { attackBatch, progressShape } from '../../../../../src-main/engine/jobs/attack-methods';
import { attackFixture, type AttackFixture } from '../attack-model';
import { useBackend } from '../../use-backend';

let fixture: AttackFixture;

/** Whole-number settings cut to at most 3 (steps, restarts, targets, queries), for speed. */
const small = (value: number, integer: boolean) => (integer ? Math.min(value, 3) : value);

/** Per image, the largest |δ| (L∞) or ‖δ‖₂ (L2) of the returned points. */
function distances(adversarial: tf.Tensor4D, constraint: 'linf' | 'l2'): number[] {
  return tf.tidy(() => {
    const delta = tf.sub(adversarial, fixture.images);
    const perImage =
      constraint === 'linf'
        ? tf.max(tf.abs(delta), [1, 2, 3])
        : tf.sqrt(tf.sum(tf.square(delta), [1, 2, 3]));
    return Array.from(perImage.dataSync());
  });
}

/** The hooks' (run, step) calls, checked against a progress shape. */
function countedSteps() {
  const calls: [number, number][] = [];
  return {
    calls,
    hooks: { beforeStep: (run: number, step: number) => void calls.push([run, step]) },
    within: (shape: { runs: number; stepsPerRun: number }) =>
      calls.every(([run, step]) => run < shape.runs && step < shape.stepsPerRun),
  };
}

describe('the engine attack registry', () => {
  beforeAll(async () => {
    await useBackend('wasm');
    fixture = attackFixture();
  });
  afterAll(() => fixture.dispose());

  it('has an engine half for every method, and every method the evaluation offers', () => {
    const names = methodDescriptors.map((method) => method.name);
    expect(Object.keys(engineMethods)).toEqual(names);
    for (const method of EvaluationMethod.options) expect(engineMethods).toHaveProperty(method);
    // The compiler holds the two halves together: a registry without a method does not type.
    const { square: _square, ...withoutSquare } = engineMethods;
    // @ts-expect-error square is missing
    const incomplete: { [M in AttackMethodName]: EngineMethod<MethodOptions<M>> } = withoutSquare;
    expect(Object.keys(incomplete)).not.toContain('square');
  });

  for (const method of methodDescriptors) {
    const constraint = Object.keys(method.threatModels)[0] as ConstraintName;
    const ball = constraint === 'l2' ? 'l2' : 'linf';

    it(`${method.name}: an attack job's batch, inside the ball, counted as its descriptor says`, () => {
      const threat = method.threatModels[constraint];
      if (threat === undefined) throw new Error(`${method.name} has no threat model`);
      const config = withAttackDefaults({
        modelId: 1,
        datasetId: 1,
        indices: [0],
        method: method.name,
        perturbation: {
          constraint,
          epsilon: threat.epsilon,
          steps: 3,
          stepSize: threat.stepSize,
          randomStart: true,
        },
        restarts: 1,
        targetClass: null,
        seed: 0,
        ...Object.fromEntries(
          attackJobFields.map((field) => [
            field.name,
            small(field.default, field.input.step === '1'),
          ]),
        ),
      });
      expect(attackConfigProblems(config)).toEqual([]);
      const before = tf.memory().numTensors;
      const steps = countedSteps();
      const outcome = attackBatch(fixture.model, fixture.images, fixture.labels, config, 5, {
        beforeStep: steps.hooks.beforeStep,
      });
      expect(outcome.adversarial.shape).toEqual(fixture.images.shape);
      for (const distance of distances(outcome.adversarial, ball))
        expect(distance).toBeLessThanOrEqual(threat.epsilon * (1 + 1e-5));
      expect(steps.calls.length).toBeGreaterThan(0);
      expect(steps.within(progressShape(config, fixture.model.spec.numClasses))).toBe(true);
      // Black-box methods count queries, gradient methods say which images no step moved.
      const n = fixture.images.shape[0];
      if (method.access === 'black-box') expect(outcome.queries).toHaveLength(n);
      else expect(outcome.stalled).toHaveLength(n);
      outcome.adversarial.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });

    it(`${method.name}: an evaluation attack, named and classed by its descriptor`, () => {
      const defaults: Record<string, unknown> = defaultOptions(method.name);
      const options = {
        ...defaults,
        ...Object.fromEntries(
          method.settings.map((setting) => [
            setting.key,
            small(defaults[setting.key] as number, setting.input.step === '1'),
          ]),
        ),
      } as MethodOptions;
      const attack = evaluationAttack(options, ball, 7);
      expect(attack.name).toBe(method.curveName(options));
      expect(attack.access).toBe(method.access);
      const epsilon = method.threatModels[constraint]?.epsilon ?? 0.3;
      const reports: string[] = [];
      const steps = countedSteps();
      const adversarial = attack.run(fixture.model, fixture.images, fixture.labels, epsilon, {
        beforeStep: steps.hooks.beforeStep,
        onQueries: () => reports.push('queries'),
        onStalled: () => reports.push('stalled'),
      });
      for (const distance of distances(adversarial, ball))
        expect(distance).toBeLessThanOrEqual(epsilon * (1 + 1e-5));
      expect(steps.within(method.progress(options, fixture.model.spec.numClasses))).toBe(true);
      expect(reports).toEqual([method.access === 'black-box' ? 'queries' : 'stalled']);
      adversarial.dispose();
    });
  }
});
