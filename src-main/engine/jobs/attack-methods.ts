/**
 * One batch of an attack job, for every method of AttackConfig: the job's config read as the
 * method's options (its descriptor, common/attacks) and run by the method's engine half
 * (engine/attacks/methods). Each returns the adversarial batch, its loss curve and, for a
 * query-counting method, the queries spent per image; its descriptor says how its hooks count
 * progress (runs × steps per run).
 */
import type * as tf from '@tensorflow/tfjs-core';
import { attackDescriptor, jobOptions } from '../../common/attacks/attack-registry';
import { attackConfigProblems, type CompleteAttackConfig } from '../../common/evaluation-schemas';
import { engineMethod } from '../attacks/methods/method-registry';
import type { MethodOutcome } from '../attacks/methods/method-run';
import type { AttackHooks } from '../attacks/pgd';
import type { Model } from '../models/model-types';

export type BatchOutcome = MethodOutcome;

/** How a method's hooks count: beforeStep(run, step) with run < runs and step < stepsPerRun. */
export function progressShape(
  config: CompleteAttackConfig,
  numClasses: number,
): { runs: number; stepsPerRun: number } {
  return attackDescriptor(config.method).progress(jobOptions(config), numClasses);
}

/** Refuses method/loss/constraint combinations that make no sense, with the reason. */
export function checkAttackConfig(config: CompleteAttackConfig): void {
  const problems = attackConfigProblems(config);
  if (problems.length > 0) throw new Error(problems.join('; '));
}

export function attackBatch(
  model: Model,
  images: tf.Tensor4D,
  labels: tf.Tensor1D,
  config: CompleteAttackConfig,
  seed: number,
  hooks: AttackHooks,
): BatchOutcome {
  const set = config.perturbation;
  return engineMethod(config.method).run(
    model,
    images,
    labels,
    {
      options: jobOptions(config),
      constraint: set.constraint,
      epsilon: set.epsilon,
      stepSize: set.stepSize,
      randomStart: set.randomStart,
      targetClass: config.targetClass,
      loss: config.loss,
      seed,
    },
    hooks,
  );
}
