/**
 * The attacks an evaluation runs, each as a name, a kind of access, and one function of ε, so
 * that curves over ε and worst cases over attacks treat them alike. Each returns a new
 * [N,H,W,C] tensor in S(x) that the caller disposes. Step sizes scale with ε (α = fraction·ε),
 * so one attack description serves every point of a curve. Every method of the attack registry
 * (common/attacks, engine/attacks/methods) is one through evaluationAttack.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { attackDescriptor, type MethodOptions } from '../../common/attacks/attack-registry';
import { engineMethod } from '../attacks/methods/method-registry';
import type { AttackHooks } from '../attacks/pgd';
import type { Model } from '../models/model-types';
import type { ConstraintName } from '../../common/attacks/threat-models';

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

/**
 * One method of the registry as an evaluation attack at a fixed constraint and seed: untargeted,
 * on the method's own loss (cross-entropy for FGSM and PGD), from a random start, named and
 * classed (white-/black-box) by its descriptor. `choice` is the method's options with their
 * defaults (EvaluationAttackConfig).
 */
export function evaluationAttack(
  choice: MethodOptions,
  constraint: BallConstraint,
  seed: number,
): EvaluationAttack {
  const descriptor = attackDescriptor(choice.method);
  const method = engineMethod(choice.method);
  return {
    name: descriptor.curveName(choice),
    access: descriptor.access,
    constraint,
    run: (model, images, labels, epsilon, hooks) => {
      const outcome = method.run(
        model,
        images,
        labels,
        {
          options: choice,
          constraint,
          epsilon,
          stepSize: null,
          randomStart: true,
          targetClass: null,
          loss: 'cross-entropy',
          seed,
        },
        hooks ?? {},
      );
      if (outcome.stalled !== null) hooks?.onStalled?.(outcome.stalled);
      if (outcome.queries !== null) hooks?.onQueries?.(outcome.queries);
      return outcome.adversarial;
    },
  };
}
