/**
 * Counterfactual editing ("what would make this a y?"; Santurkar et al. 2019 §3, Tsipras et al.
 * 2019's large-ε adversarial examples): targeted L2 ascent on class y's score from a real image x,
 * within ‖x' − x‖₂ ≤ ε and the pixel box (class-score-ascent.ts has the step). For a robust model
 * the edit draws y's features; for a standard one it is imperceptible noise that flips the label.
 *
 * models[0] is the one whose gradient edits; the others only watch: at x⁰ … x^T each model's
 * probability of y and its top-1 class are read out, so the view can show both models'
 * predictions live (and, for the standard model, whether the robust model's edit transfers).
 * The same read-out for any frame the job keeps: predictionsOf (class-predictions.ts).
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { Model } from '../models/model-types';
import {
  ascendClassScore,
  type ClassAscentOptions,
  type ClassAscentOutcome,
} from './class-score-ascent';
import type { FeatureStepHooks } from './feature-hooks';

/**
 * x^T, the editing model's mean cross-entropy of y at x⁰ … x^T, and predictionsPerStep[t][m]:
 * model m's per-example target probability and top-1 class at x^t (m in the order given).
 */
export type CounterfactualOutcome = ClassAscentOutcome;

export function counterfactualEdit(
  models: readonly Model[],
  images: tf.Tensor4D,
  targetClasses: ArrayLike<number>,
  options: ClassAscentOptions,
  hooks: FeatureStepHooks = {},
): CounterfactualOutcome {
  const [editor, ...observed] = models;
  if (editor === undefined) throw new Error('counterfactual editing needs at least one model');
  const [h, w, c] = editor.spec.inputShape;
  for (const [m, model] of observed.entries()) {
    const [oh, ow, oc] = model.spec.inputShape;
    if (oh !== h || ow !== w || oc !== c) {
      throw new Error(
        `model ${m + 2} takes ${oh}×${ow}×${oc} images but model 1 takes ${h}×${w}×${c}`,
      );
    }
    if (model.spec.numClasses !== editor.spec.numClasses) {
      throw new Error(
        `model ${m + 2} has ${model.spec.numClasses} classes but model 1 has ${editor.spec.numClasses}`,
      );
    }
  }
  return ascendClassScore(editor, images, targetClasses, options, hooks, { observed });
}
