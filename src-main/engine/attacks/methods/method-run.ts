/**
 * The engine's half of an attack method (the pure half, its descriptor, is in common/attacks): a
 * run function over one batch, built on the implementations in engine/attacks. An attack job and
 * an evaluation both call it, each with a MethodRequest: the method's options and the threat
 * model of the run.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { z } from 'zod';
import type { AttackLoss, ConstraintName } from '../../../common/attacks/threat-models';
import type { Model } from '../../models/model-types';
import type { AttackHooks } from '../pgd';

export interface MethodRequest<Options> {
  /** The method's options (its descriptor's options schema, defaults filled). */
  options: Options;
  constraint: ConstraintName;
  /** Radius of the ball in [0,1] pixel units; 'unconstrained': the random start's size. */
  epsilon: number;
  /** The gradient loop's α; null: PGD's own rule, α = stepFraction · ε (an evaluation's). */
  stepSize: number | null;
  randomStart: boolean;
  /** null: untargeted. */
  targetClass: number | null;
  /** The gradient loop's loss (the other methods bring their own). */
  loss: AttackLoss;
  seed: number;
}

export interface MethodOutcome {
  /** [N,H,W,C] in S(x); the caller disposes it. */
  adversarial: tf.Tensor4D;
  /** Mean loss over the batch per step (empty: the method records none for this batch). */
  lossPerStep: number[];
  /** Query-counting (black-box) methods: the model queries spent per image; else null. */
  queries: number[] | null;
  /** Gradient methods: per image, no step moved it (see attacks/pgd.ts); else null. */
  stalled: boolean[] | null;
}

export interface EngineMethod<Options> {
  run(
    model: Model,
    images: tf.Tensor4D,
    labels: tf.Tensor1D,
    request: MethodRequest<Options>,
    hooks: AttackHooks,
  ): MethodOutcome;
}

/** The options type of a pure descriptor (common/attacks/<method>.ts). */
export type OptionsOf<Descriptor extends { options: z.ZodType }> = z.output<Descriptor['options']>;

/** The constraint of a method that runs under linf or l2 only (its descriptor refuses the rest). */
export function ballConstraint(request: MethodRequest<{ method: string }>): 'linf' | 'l2' {
  const constraint = request.constraint;
  if (constraint === 'unconstrained') throw new Error(`${request.options.method} needs linf or l2`);
  return constraint;
}
