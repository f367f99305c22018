/**
 * The attacks an evaluation runs, each as a name, a kind of access, and one function of ε, so
 * that curves over ε and worst cases over attacks treat them alike. Each returns a new
 * [N,H,W,C] tensor in S(x) that the caller disposes. Step sizes scale with ε (α = fraction·ε),
 * so one attack description serves every point of a curve.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { runApgd } from '../attacks/apgd';
import { runApgdTargeted } from '../attacks/apgd-targeted';
import { fgsmOptions } from '../attacks/attack-options';
import { runAttack, type AttackHooks } from '../attacks/pgd';
import { runSquareAttack } from '../attacks/square-attack';
import type { Model } from '../models/model-types';
import type { ConstraintName } from '../../common/schemas';

export type BallConstraint = Exclude<ConstraintName, 'unconstrained'>;

/** The hooks an evaluation attack gets: the attack loop's, and where it counts them, its queries. */
export interface EvaluationHooks extends AttackHooks {
  /** Query-counting (black-box) attacks report the model queries spent per image, once per run. */
  onQueries?(queries: number[]): void;
  /**
   * Gradient attacks report, once per run, which images no step moved (the iterate never left
   * its start): a sign of a zero or numerically lost gradient, see checkAttacksMoved.
   */
  onStalled?(stalled: boolean[]): void;
}

export interface EvaluationAttack {
  /** Shown in curves and checks, e.g. "PGD-20×1". */
  name: string;
  /** white-box: uses gradients of the model; black-box: only its outputs. */
  access: 'white-box' | 'black-box';
  constraint: BallConstraint;
  run(
    model: Model,
    images: tf.Tensor4D,
    labels: tf.Tensor1D,
    epsilon: number,
    hooks?: EvaluationHooks,
  ): tf.Tensor4D;
}

export function fgsmAttack(constraint: BallConstraint, seed = 0): EvaluationAttack {
  return {
    name: 'FGSM',
    access: 'white-box',
    constraint,
    run: (model, images, labels, epsilon, hooks) => {
      const outcome = runAttack(
        model,
        images,
        labels,
        fgsmOptions({ constraint, epsilon, targetClass: null, seed }),
        hooks,
      );
      outcome.loss.dispose();
      hooks?.onStalled?.(outcome.stalled);
      return outcome.adversarial;
    },
  };
}

export interface PgdSettings {
  constraint: BallConstraint;
  steps: number;
  /** α = stepFraction · ε (Madry et al. MNIST: 0.01/0.3 ≈ 0.033 for 100 steps; 2.5/steps is usual). */
  stepFraction: number;
  restarts: number;
  seed: number;
}

export function pgdAttack(settings: PgdSettings): EvaluationAttack {
  return {
    name: `PGD-${settings.steps}×${settings.restarts}`,
    access: 'white-box',
    constraint: settings.constraint,
    run: (model, images, labels, epsilon, hooks) => {
      const outcome = runAttack(
        model,
        images,
        labels,
        {
          constraint: settings.constraint,
          epsilon,
          steps: settings.steps,
          stepSize: settings.stepFraction * epsilon,
          randomStart: true,
          restarts: settings.restarts,
          targetClass: null,
          seed: settings.seed,
        },
        hooks,
      );
      outcome.loss.dispose();
      hooks?.onStalled?.(outcome.stalled);
      return outcome.adversarial;
    },
  };
}

export interface ApgdSettings {
  constraint: BallConstraint;
  iterations: number;
  restarts: number;
  seed: number;
}

export function apgdCeAttack(settings: ApgdSettings): EvaluationAttack {
  return {
    name: `APGD-CE-${settings.iterations}`,
    access: 'white-box',
    constraint: settings.constraint,
    run: (model, images, labels, epsilon, hooks) => {
      const outcome = runApgd(
        model,
        images,
        labels,
        { ...settings, epsilon, randomStart: true },
        hooks,
      );
      outcome.margin.dispose();
      hooks?.onStalled?.(outcome.stalled);
      return outcome.adversarial;
    },
  };
}

export function apgdTargetedAttack(settings: ApgdSettings & { targets: number }): EvaluationAttack {
  return {
    name: `APGD-T-${settings.iterations}`,
    access: 'white-box',
    constraint: settings.constraint,
    run: (model, images, labels, epsilon, hooks) => {
      const outcome = runApgdTargeted(
        model,
        images,
        labels,
        { ...settings, epsilon, randomStart: true },
        hooks,
      );
      outcome.margin.dispose();
      hooks?.onStalled?.(outcome.stalled);
      return outcome.adversarial;
    },
  };
}

export interface SquareSettings {
  queries: number;
  seed: number;
  /** Default linf. */
  constraint?: BallConstraint;
  /** p_init; default 0.8. */
  initialFraction?: number;
}

export function squareAttack(settings: SquareSettings): EvaluationAttack {
  const constraint = settings.constraint ?? 'linf';
  return {
    name: `Square-${settings.queries}`,
    access: 'black-box',
    constraint,
    run: (model, images, labels, epsilon, hooks) => {
      const outcome = runSquareAttack(
        model,
        images,
        labels,
        {
          constraint,
          epsilon,
          queries: settings.queries,
          initialFraction: settings.initialFraction,
          seed: settings.seed,
        },
        hooks,
      );
      outcome.margin.dispose();
      hooks?.onQueries?.(outcome.queries);
      return outcome.adversarial;
    },
  };
}
