/**
 * FGSM and PGD: the loop of attacks/pgd.ts with the loss chosen by name from the loss registry.
 *
 * Targeted DLR is Croce & Hein's: L(z, y) = −(z_y − z_t)/(z_π1 − (z_π3 + z_π4)/2), maximized with
 * the TRUE labels, the target t inside the loss — so the loop runs it as an "untargeted" one.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Model } from '../../models/model-types';
import type { AttackOptions } from '../attack-options';
import { lossFor } from '../loss-registry';
import type { PerExampleLoss } from '../per-example-loss';
import { runAttack, type AttackHooks } from '../pgd';
import type { MethodOutcome, MethodRequest } from './method-run';

/** The loop's options for the loss made from the request and the class it aims at (null: none). */
export type LoopOptions = (loss: PerExampleLoss, targetClass: number | null) => AttackOptions;

export function runGradientLoop(
  model: Model,
  images: tf.Tensor4D,
  labels: tf.Tensor1D,
  request: MethodRequest<unknown>,
  loopOptions: LoopOptions,
  hooks: AttackHooks,
): MethodOutcome {
  const targetedDlr = request.loss === 'dlr-targeted';
  const targets =
    targetedDlr && request.targetClass !== null
      ? (tf.fill([images.shape[0]], request.targetClass, 'int32') as tf.Tensor1D)
      : undefined;
  try {
    const loss = lossFor(request.loss, { targetClasses: targets });
    // Targeted DLR carries its target inside the loss and is maximized with the true labels.
    const targetClass = targetedDlr ? null : request.targetClass;
    const outcome = runAttack(model, images, labels, loopOptions(loss, targetClass), hooks);
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
