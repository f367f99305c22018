/**
 * Gradients of the activations and selections an imported ONNX model runs (issue 13); tfjs-core's
 * CommonJS build registers none of them (register-gradients.ts). With y the kernel's output:
 *   Sigmoid: dy·y·(1 − y)      Tanh: dy·(1 − y²)       Softplus: dy·σ(x)
 *   LeakyRelu(α): dy·[x > 0] + α·dy·[x ≤ 0]           Elu (α = 1): dy·[y > 0] + dy·(y + 1)·[y ≤ 0]
 *   Expm1: dy·eˣ               Softmax (last axis): y ⊙ (dy − Σ dy ⊙ y)
 *   Select(c, t, e): (dt, de) = (dy·[c], dy·[¬c])   Identity: dy   Greater: 0
 *   Maximum(a, b): (dy·[a ≥ b], dy·[a < b])   Minimum(a, b): (dy·[a ≤ b], dy·[a > b])
 * (ties go to a, as in tfjs' own gradients), each reduced over broadcast axes.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, Tensor } from '@tensorflow/tfjs-core';
import { attrsAs, binaryGradient, savedTensor, singleDy } from './gradient-helpers';

function ofOutput(kernelName: string, derivative: (dy: Tensor, y: Tensor) => Tensor): GradConfig {
  return {
    kernelName,
    outputsToSave: [true],
    gradFunc: (dy, saved) => ({
      x: () => derivative(singleDy(dy), savedTensor(saved, 0, kernelName)),
    }),
  };
}

function ofInput(
  kernelName: string,
  derivative: (dy: Tensor, x: Tensor, attrs: Record<string, unknown>) => Tensor,
): GradConfig {
  return {
    kernelName,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => ({
      x: () =>
        derivative(
          singleDy(dy),
          savedTensor(saved, 0, kernelName),
          attrsAs<Record<string, unknown>>(attrs),
        ),
    }),
  };
}

/** Maximum/Minimum: the gradient goes to a where `pickA(a, b)`, else to b. */
function extremum(kernelName: string, pickA: (a: Tensor, b: Tensor) => Tensor): GradConfig {
  return binaryGradient(kernelName, (dy, a, b) => {
    const toA = pickA(a, b);
    const zero = tf.zerosLike(dy);
    return [() => tf.where(toA, dy, zero), () => tf.where(toA, zero, dy)];
  });
}

export const activationGradients: GradConfig[] = [
  ofOutput('Sigmoid', (dy, y) => tf.mul(dy, tf.mul(y, tf.sub(1, y)))),
  ofOutput('Tanh', (dy, y) => tf.mul(dy, tf.sub(1, tf.square(y)))),
  ofInput('Softplus', (dy, x) => tf.mul(dy, tf.sigmoid(x))),
  ofInput('LeakyRelu', (dy, x, attrs) =>
    tf.where(tf.greater(x, 0), dy, tf.mul(dy, Number(attrs['alpha'] ?? 0.2))),
  ),
  ofOutput('Elu', (dy, y) => tf.where(tf.greater(y, 0), dy, tf.mul(dy, tf.add(y, 1)))),
  ofInput('Expm1', (dy, x) => tf.mul(dy, tf.exp(x))),
  {
    kernelName: 'Softmax',
    outputsToSave: [true],
    gradFunc: (dyIn, saved, attrs) => {
      const dy = singleDy(dyIn);
      const y = savedTensor(saved, 0, 'Softmax');
      const { dim } = attrsAs<{ dim: number }>(attrs);
      const axis = dim < 0 ? y.rank + dim : dim;
      return { logits: () => tf.mul(y, tf.sub(dy, tf.sum(tf.mul(dy, y), axis, true))) };
    },
  },
  {
    kernelName: 'Select',
    inputsToSave: ['condition'],
    gradFunc: (dyIn, saved) => {
      const dy = singleDy(dyIn);
      const condition = savedTensor(saved, 0, 'Select');
      const zero = tf.zerosLike(dy);
      return {
        // No gradient flows into the boolean condition; tfjs wants a float zero for it.
        condition: () => tf.zeros(condition.shape, 'float32'),
        t: () => tf.where(condition, dy, zero),
        e: () => tf.where(condition, zero, dy),
      };
    },
  },
  // A comparison is piecewise constant: zero gradient (needed where x also feeds a tf.where's test).
  {
    kernelName: 'Greater',
    inputsToSave: ['a', 'b'],
    gradFunc: (_dy, saved) => ({
      a: () => tf.zeros(savedTensor(saved, 0, 'Greater').shape, 'float32'),
      b: () => tf.zeros(savedTensor(saved, 1, 'Greater').shape, 'float32'),
    }),
  },
  // tf.where passes operands already of the output's shape through broadcastTo, an Identity.
  { kernelName: 'Identity', gradFunc: (dy) => ({ x: () => singleDy(dy) }) },
  extremum('Maximum', (a, b) => tf.greaterEqual(a, b)),
  extremum('Minimum', (a, b) => tf.lessEqual(a, b)),
];
