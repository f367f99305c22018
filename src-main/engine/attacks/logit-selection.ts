/**
 * Losses that read a few entries of the logits z [N,K] chosen by rank or label (the CW margin
 * and the DLR losses). The chosen indices are piecewise constant in z, so the gradient of such a
 * loss is the gradient of the same formula with the indices held fixed. The engine registers no
 * gradient for Max, TopK or ArgMax (see gradients/register-gradients.ts), so these losses give
 * theirs through tf.customGrad: the forward pass returns the value L [N] together with its
 * Jacobian rows G = ∂L/∂z [N,K], and the backward pass is dz = dy[:,None] · G.
 */
import * as tf from '@tensorflow/tfjs-core';

export interface LogitLossParts {
  /** L_n, [N]. */
  value: tf.Tensor1D;
  /** ∂L_n/∂z_n with the chosen indices held fixed, [N,K]. */
  jacobian: tf.Tensor2D;
}

/** A loss of z [N,K] → [N] whose gradient is the saved Jacobian (see the file comment). */
export function logitLoss(
  logits: tf.Tensor2D,
  parts: (logits: tf.Tensor2D) => LogitLossParts,
): tf.Tensor1D {
  const op = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [z, save] = inputs;
    if (!(z instanceof tf.Tensor) || typeof save !== 'function') {
      throw new Error('a logit loss takes one tensor');
    }
    const { value, jacobian } = parts(z as tf.Tensor2D);
    save([jacobian]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [g] = saved;
        if (g === undefined) throw new Error('the Jacobian of a logit loss was not saved');
        return tf.mul(tf.reshape(dy, [-1, 1]), g);
      },
    };
  });
  return op(logits) as tf.Tensor1D;
}

/** e_k for each example's index k: int [N] → float32 one-hot [N,K]. */
export function indicator(indices: tf.Tensor1D, classes: number): tf.Tensor2D {
  return tf.cast(tf.oneHot(tf.cast(indices, 'int32'), classes), 'float32') as tf.Tensor2D;
}

/** z_{n,k_n} = Σ_j z_nj · e_{k_n,j}: [N,K] × one-hot [N,K] → [N]. */
export function pick(logits: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Tensor1D {
  return tf.sum(tf.mul(logits, oneHot), 1);
}

/** argmax_{j ≠ ℓ_n} z_nj: the strongest class other than ℓ, int32 [N]. */
export function strongestOther(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const excluded = tf.cast(indicator(labels, logits.shape[1]), 'bool');
    return tf.argMax(tf.where(excluded, tf.fill(logits.shape, -Infinity), logits), 1);
  });
}

/** The indices of the `count` largest logits per example, π_1 ≥ π_2 ≥ …: int32 [N,count]. */
export function rankedClasses(logits: tf.Tensor2D, count: number): tf.Tensor2D {
  const classes = logits.shape[1];
  if (count > classes) {
    throw new Error(`this loss needs at least ${count} classes, the model has ${classes}`);
  }
  return tf.topk(logits, count).indices as tf.Tensor2D;
}

/** Column k (0-based) of an int32 [N,M] index matrix, as [N]. */
export function column(indices: tf.Tensor2D, k: number): tf.Tensor1D {
  return tf.reshape(tf.slice(indices, [0, k], [-1, 1]), [-1]);
}
