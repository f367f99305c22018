/**
 * One batch of an attack job, for each method of AttackConfig: FGSM and PGD (attacks/pgd.ts, with
 * the loss chosen by name from the loss registry), APGD-CE, APGD-T and Square. Each returns the
 * adversarial batch, its loss curve and, for Square, the queries spent per image, and says how
 * its hooks count progress (runs × steps per run).
 *
 * Targeted DLR is Croce & Hein's: L(z, y) = −(z_y − z_t)/(z_π1 − (z_π3 + z_π4)/2), maximized with
 * the TRUE labels, the target t inside the loss — so PGD runs it as an "untargeted" loop.
 */
import * as tf from '@tensorflow/tfjs-core';
import { attackConfigProblems, type CompleteAttackConfig } from '../../common/evaluation-schemas';
import { runApgd } from '../attacks/apgd';
import { runApgdTargeted } from '../attacks/apgd-targeted';
import { fgsmOptions, type AttackOptions } from '../attacks/attack-options';
import { lossFor } from '../attacks/loss-registry';
import { runAttack, type AttackHooks } from '../attacks/pgd';
import { runSquareAttack } from '../attacks/square-attack';
import type { Model } from '../models/model-types';

export interface BatchOutcome {
  /** [N,H,W,C]; the caller disposes it. */
  adversarial: tf.Tensor4D;
  /** Mean loss over the batch per step (empty: the method records none for this batch). */
  lossPerStep: number[];
  /** Square: queries per image; else null. */
  queries: number[] | null;
  /** Gradient attacks: per image, no step moved it (see pgd.ts); Square: null. */
  stalled: boolean[] | null;
}

/** How a method's hooks count: beforeStep(run, step) with run < runs and step < stepsPerRun. */
export function progressShape(
  config: CompleteAttackConfig,
  numClasses: number,
): { runs: number; stepsPerRun: number } {
  const steps = config.perturbation.steps;
  switch (config.method) {
    case 'fgsm':
      return { runs: 1, stepsPerRun: 2 };
    case 'pgd':
      return { runs: config.restarts, stepsPerRun: steps + 1 };
    case 'apgd-ce':
      return { runs: config.restarts, stepsPerRun: steps };
    case 'apgd-t':
      return {
        runs: Math.min(config.apgdTargets, numClasses - 1) * config.restarts,
        stepsPerRun: steps,
      };
    case 'square':
      return { runs: 1, stepsPerRun: config.squareQueries };
  }
}

/** Refuses method/loss/constraint combinations that make no sense, with the reason. */
export function checkAttackConfig(config: CompleteAttackConfig): void {
  const problems = attackConfigProblems(config);
  if (problems.length > 0) throw new Error(problems.join('; '));
}

function gradientLoop(
  model: Model,
  images: tf.Tensor4D,
  labels: tf.Tensor1D,
  config: CompleteAttackConfig,
  seed: number,
  hooks: AttackHooks,
): BatchOutcome {
  const set = config.perturbation;
  const targetedDlr = config.loss === 'dlr-targeted';
  const targets =
    targetedDlr && config.targetClass !== null
      ? (tf.fill([images.shape[0]], config.targetClass, 'int32') as tf.Tensor1D)
      : undefined;
  try {
    const loss = lossFor(config.loss, { targetClasses: targets });
    // Targeted DLR carries its target inside the loss and is maximized with the true labels.
    const targetClass = targetedDlr ? null : config.targetClass;
    const options: AttackOptions =
      config.method === 'fgsm'
        ? fgsmOptions({ constraint: set.constraint, epsilon: set.epsilon, targetClass, seed, loss })
        : {
            constraint: set.constraint,
            epsilon: set.epsilon,
            steps: set.steps,
            stepSize: set.stepSize,
            randomStart: set.randomStart,
            restarts: config.restarts,
            targetClass,
            seed,
            loss,
          };
    const outcome = runAttack(model, images, labels, options, hooks);
    outcome.loss.dispose();
    return {
      adversarial: outcome.adversarial,
      lossPerStep: outcome.lossPerStep,
      queries: null,
      stalled: outcome.stalled,
    };
  } finally {
    targets?.dispose();
  }
}

/** APGD and Square take linf or l2; attackConfigProblems has refused the rest. */
function ballConstraint(config: CompleteAttackConfig): 'linf' | 'l2' {
  const constraint = config.perturbation.constraint;
  if (constraint === 'unconstrained') throw new Error(`${config.method} needs linf or l2`);
  return constraint;
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
  switch (config.method) {
    case 'fgsm':
    case 'pgd':
      return gradientLoop(model, images, labels, config, seed, hooks);
    case 'apgd-ce': {
      const outcome = runApgd(
        model,
        images,
        labels,
        {
          constraint: ballConstraint(config),
          epsilon: set.epsilon,
          iterations: set.steps,
          restarts: config.restarts,
          randomStart: set.randomStart,
          seed,
        },
        hooks,
      );
      outcome.margin.dispose();
      return {
        adversarial: outcome.adversarial,
        lossPerStep: outcome.lossPerStep,
        queries: null,
        stalled: outcome.stalled,
      };
    }
    case 'apgd-t': {
      const outcome = runApgdTargeted(
        model,
        images,
        labels,
        {
          constraint: ballConstraint(config),
          epsilon: set.epsilon,
          iterations: set.steps,
          restarts: config.restarts,
          randomStart: set.randomStart,
          targets: config.apgdTargets,
          seed,
        },
        hooks,
      );
      outcome.margin.dispose();
      return {
        adversarial: outcome.adversarial,
        lossPerStep: outcome.lossPerStep,
        queries: null,
        stalled: outcome.stalled,
      };
    }
    case 'square': {
      const outcome = runSquareAttack(
        model,
        images,
        labels,
        {
          constraint: ballConstraint(config),
          epsilon: set.epsilon,
          queries: config.squareQueries,
          initialFraction: config.squareInitialFraction,
          seed,
        },
        hooks,
      );
      outcome.margin.dispose();
      return {
        adversarial: outcome.adversarial,
        lossPerStep: [],
        queries: outcome.queries,
        stalled: null,
      };
    }
  }
}
