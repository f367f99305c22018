/** Small shared pieces of the gradient functions. */
import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';

export function singleDy(dy: Tensor | Tensor[]): Tensor {
  if (Array.isArray(dy)) throw new Error('expected one upstream gradient, got several');
  return dy;
}

export function savedTensor(saved: Tensor[], index: number, kernel: string): Tensor {
  const tensor = saved[index];
  if (tensor === undefined) throw new Error(`${kernel} gradient: saved tensor ${index} is missing`);
  return tensor;
}

/**
 * For z = f(a, b) with NumPy broadcasting: the gradient for an input that was broadcast is the
 * upstream gradient summed over the broadcast axes, reshaped to the input's shape.
 */
export function reduceToShape(
  gradient: Tensor,
  inputShape: number[],
  outputShape: number[],
): Tensor {
  const axes = tf.broadcast_util.getReductionAxes(inputShape, outputShape);
  const reduced = axes.length > 0 ? tf.sum(gradient, axes) : gradient;
  return tf.reshape(reduced, inputShape);
}

/** A cast only where one is needed: a same-dtype Cast still copies the data on wasm. */
export function asFloat32(t: Tensor): Tensor {
  return t.dtype === 'float32' ? t : tf.cast(t, 'float32');
}

/** Kernel attributes as their declared type (tfjs hands them over as a loose map). */
export function attrsAs<T>(attrs: NamedAttrMap): T {
  return attrs as unknown as T;
}

/**
 * The gradient of a broadcasting binary kernel z = f(a, b): `derivatives` gives ∂/∂a and ∂/∂b at
 * the output's shape, each then reduced over the axes its input was broadcast along.
 */
export function binaryGradient(
  kernelName: string,
  derivatives: (dy: Tensor, a: Tensor, b: Tensor) => [() => Tensor, () => Tensor],
): GradConfig {
  return {
    kernelName,
    inputsToSave: ['a', 'b'],
    gradFunc: (dyIn, saved) => {
      const dy = singleDy(dyIn);
      const a = savedTensor(saved, 0, kernelName);
      const b = savedTensor(saved, 1, kernelName);
      const outShape = tf.broadcast_util.assertAndGetBroadcastShape(a.shape, b.shape);
      const [da, db] = derivatives(dy, a, b);
      return {
        a: () => reduceToShape(da(), a.shape, outShape),
        b: () => reduceToShape(db(), b.shape, outShape),
      };
    },
  };
}
