/**
 * Margin losses on the logits z [N,K] (per example, [N] out), in the sign convention of
 * PerExampleLoss: an attack maximizes s · L(f(x'), ℓ), untargeted s = +1 with ℓ = the true
 * label y, targeted s = −1 with ℓ = the target class t.
 *
 * CW margin (Carlini & Wagner 2017, their f₆ without the κ clamp, so best-loss tracking keeps
 * pushing past the decision boundary):
 *   L(z, ℓ) = max_{j≠ℓ} z_j − z_ℓ
 *   untargeted (maximized, ℓ = y):  L > 0  ⇔  x' is misclassified.
 *   targeted (minimized, ℓ = t): the attack raises z_t − max_{j≠t} z_j = −L;  L < 0 ⇔ f(x') = t.
 *
 * DLR, difference of logits ratio (Croce & Hein 2020), with π the classes sorted by logit:
 *   L(z, y) = −(z_y − max_{j≠y} z_j) / (z_π1 − z_π3 + 1e−12)
 *   Invariant to shifting and (positively) scaling the logits. Maximized, with the true labels;
 *   L > 0 ⇔ misclassified. (Used targeted through PGD, it lowers L(z, t), i.e. raises
 *   (z_t − max_{j≠t} z_j)/(z_π1 − z_π3): a valid targeted margin, but not the paper's
 *   targeted DLR, which needs both y and t — see targetedDlrLoss.)
 *
 * Targeted DLR (Croce & Hein 2020, APGD-T), for target classes t fixed when the loss is made:
 *   L(z, y) = −(z_y − z_t) / (z_π1 − (z_π3 + z_π4)/2 + 1e−12)
 *   Maximized with the TRUE labels y (run it untargeted: the target is inside the loss);
 *   L > 0 ⇔ z_t > z_y.
 *
 * The 1e−12 keeps the ratio finite when the top logits tie. Gradients: see logit-selection.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  column,
  indicator,
  logitLoss,
  pick,
  rankedClasses,
  strongestOther,
} from './logit-selection';
import type { PerExampleLoss } from './per-example-loss';

const TINY = 1e-12;

/** max_{j≠ℓ} z_j − z_ℓ, [N,K] × [N] → [N]. */
export function cwMarginPerExample(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() =>
    logitLoss(logits, (z) => {
      const classes = z.shape[1];
      const own = indicator(labels, classes);
      const other = indicator(strongestOther(z, labels), classes);
      return { value: tf.sub(pick(z, other), pick(z, own)), jacobian: tf.sub(other, own) };
    }),
  );
}

/** −(z_y − max_{j≠y} z_j) / (z_π1 − z_π3 + 1e−12), [N,K] × [N] → [N]; needs K ≥ 3. */
export function dlrPerExample(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() =>
    logitLoss(logits, (z) => {
      const classes = z.shape[1];
      const ranked = rankedClasses(z, 3);
      const first = indicator(column(ranked, 0), classes);
      const third = indicator(column(ranked, 2), classes);
      const own = indicator(labels, classes);
      const other = indicator(strongestOther(z, labels), classes);
      // M = z_y − z_o,  D = z_π1 − z_π3 + 1e−12,  L = −M/D
      // ∂L/∂z = −(e_y − e_o)/D + (M/D²)(e_π1 − e_π3)
      const margin = tf.sub(pick(z, own), pick(z, other));
      const spread = tf.add(tf.sub(pick(z, first), pick(z, third)), TINY);
      const value = tf.neg(tf.div(margin, spread)) as tf.Tensor1D;
      const jacobian = tf.add(
        tf.div(tf.sub(other, own), tf.reshape(spread, [-1, 1])),
        tf.mul(tf.reshape(tf.div(margin, tf.square(spread)), [-1, 1]), tf.sub(first, third)),
      ) as tf.Tensor2D;
      return { value, jacobian };
    }),
  );
}

/** −(z_y − z_t) / (z_π1 − (z_π3 + z_π4)/2 + 1e−12), [N,K] × [N] × [N] → [N]; needs K ≥ 4. */
export function targetedDlrPerExample(
  logits: tf.Tensor2D,
  labels: tf.Tensor1D,
  targets: tf.Tensor1D,
): tf.Tensor1D {
  if (targets.shape[0] !== labels.shape[0]) {
    throw new Error(`${labels.shape[0]} labels but ${targets.shape[0]} target classes`);
  }
  return tf.tidy(() =>
    logitLoss(logits, (z) => {
      const classes = z.shape[1];
      const ranked = rankedClasses(z, 4);
      const first = indicator(column(ranked, 0), classes);
      const thirdAndFourth = tf.mul(
        tf.add(indicator(column(ranked, 2), classes), indicator(column(ranked, 3), classes)),
        0.5,
      ) as tf.Tensor2D;
      const own = indicator(labels, classes);
      const target = indicator(targets, classes);
      // M = z_y − z_t,  D = z_π1 − (z_π3 + z_π4)/2 + 1e−12,  L = −M/D
      // ∂L/∂z = −(e_y − e_t)/D + (M/D²)(e_π1 − (e_π3 + e_π4)/2)
      const margin = tf.sub(pick(z, own), pick(z, target));
      const spread = tf.add(tf.sub(pick(z, first), pick(z, thirdAndFourth)), TINY);
      const value = tf.neg(tf.div(margin, spread)) as tf.Tensor1D;
      const jacobian = tf.add(
        tf.div(tf.sub(target, own), tf.reshape(spread, [-1, 1])),
        tf.mul(
          tf.reshape(tf.div(margin, tf.square(spread)), [-1, 1]),
          tf.sub(first, thirdAndFourth),
        ),
      ) as tf.Tensor2D;
      return { value, jacobian };
    }),
  );
}

export const cwMarginLoss: PerExampleLoss = {
  name: 'cw-margin',
  compute: (output, labels) => cwMarginPerExample(output.logits, labels),
};

export const dlrLoss: PerExampleLoss = {
  name: 'dlr',
  compute: (output, labels) => dlrPerExample(output.logits, labels),
};

/**
 * Targeted DLR toward `targets` (int [N], one class per example, owned by the caller, kept
 * alive while the loss is in use). compute() takes the TRUE labels; the attack maximizes it.
 */
export function targetedDlrLoss(targets: tf.Tensor1D): PerExampleLoss {
  return {
    name: 'dlr-targeted',
    compute: (output, labels) => targetedDlrPerExample(output.logits, labels, targets),
  };
}
