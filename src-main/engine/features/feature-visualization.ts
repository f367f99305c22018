/**
 * Feature visualization and manipulation for one unit u of the representation r(x) [N,D]
 * (Engstrom et al. 2019, "Adversarial robustness as a prior for learned representations", §4.2).
 *
 * topActivating: the k dataset images with the largest r_u(x), scanned in batches (the dataset
 * stays in the typed arrays it came in; each batch is cut, scaled and run on its own). Ties are
 * broken by the smaller index, so the answer does not depend on the batch size.
 *
 * maximizeFeature: normalized L2 gradient ascent on r_u from x⁰ [N,H,W,C] in [0,1]:
 *   g_n     = ∇ₓ r_u(x_n^t)                 with the fake ReLU on r (see below)
 *   x^{t+1} = Π(x^t + α · g_n / ‖g_n‖₂),   t = 0..T−1   (0 where g_n = 0)
 *   Π(x)    = clip(x⁰ + δ · min(1, ε / ‖δ‖₂), 0, 1),  δ = x − x⁰   (the L2 constraint's project)
 * ε = Infinity leaves only the pixel box: unconstrained synthesis (start from noise). "Add
 * feature u with strength s" to an image is this from that image with ε = s.
 * The fake ReLU (ForwardOptions.fakeRelu): r = ReLU(a) in the forward pass, but ∂r/∂a = 1 in the
 * backward pass. With the real ReLU a unit that is 0 on the start image (a < 0) has gradient 0
 * and plain ascent never moves; with the fake one the gradient is ∇ₓ a, which raises a until the
 * unit switches on. The activations reported are always the true r_u = ReLU(a).
 * Imported tfjs-layers models compute r inside their layers and have no fake ReLU: pass
 * fakeRelu: false for them (ascent then starts only where the unit is already on).
 *
 * Memory: each step runs in tf.tidy; the current point and its gradient are swapped
 * tensor-for-tensor, so tf.memory().numTensors is the same before every step, and after the
 * caller disposes the outcome, the same as before the call.
 */
import * as tf from '@tensorflow/tfjs-core';
import { nonNegativeFinite, positiveFinite, wholeAtLeast } from '../attacks/attack-options';
import { l2Constraint } from '../attacks/constraints/l2-constraint';
import { clipToPixelRange } from '../attacks/constraints/per-example-norm';
import { ImageSource, indexRange } from '../data/image-source';
import type { Model } from '../models/model-types';
import type { ImageBatch } from '../engine-types';
import type { FeatureStepHooks } from './feature-hooks';
import { checkImages } from './saliency-options';

/** r_u(x) [N] for the unit, checked against the representation's width D. */
function unitActivation(
  model: Model,
  images: tf.Tensor4D,
  unit: number,
  fakeRelu: boolean,
): tf.Tensor1D {
  const { representation } = model.forward(images, { fakeRelu });
  const width = representation.shape[1];
  if (unit >= width) {
    throw new Error(`unit ${unit} is outside 0..${width - 1} (the representation has ${width})`);
  }
  return tf.reshape(tf.slice(representation, [0, unit], [-1, 1]), [-1]) as tf.Tensor1D;
}

function checkUnit(unit: number): void {
  wholeAtLeast(unit, 0, 'the unit');
}

export interface TopActivatingOptions {
  /** Images per forward pass. Default 256. */
  batchSize?: number;
}

export interface TopActivating {
  /** Indices into the images, largest activation first (ties: smaller index first). */
  indices: Int32Array;
  /** r_u of those images, in the same order. */
  activations: Float32Array;
}

/**
 * The k images of `images` (uint8 0..255 or float32 in [0,1], NHWC) with the largest r_u.
 * Hooks: beforeStep(b) before batch b (the cancel check); onStep(b, mean r_u over batch b).
 */
export function topActivating(
  model: Model,
  images: ImageBatch,
  unit: number,
  k: number,
  options: TopActivatingOptions = {},
  hooks: Pick<FeatureStepHooks, 'beforeStep' | 'onStep'> = {},
): TopActivating {
  const { batchSize = 256 } = options;
  checkUnit(unit);
  wholeAtLeast(batchSize, 1, 'the batch size');
  const source = new ImageSource(
    images,
    new Int32Array(images.shape[0]),
    model.spec.numClasses,
    'images',
  );
  const [h, w, c] = source.imageShape;
  const [eh, ew, ec] = model.spec.inputShape;
  if (h !== eh || w !== ew || c !== ec) {
    throw new Error(`images are ${h}×${w}×${c} but the model takes ${eh}×${ew}×${ec}`);
  }
  wholeAtLeast(k, 1, 'k');
  if (k > source.count) {
    throw new Error(`k = ${k} is more than the ${source.count} images there are`);
  }
  const all = new Float32Array(source.count);
  for (let start = 0, b = 0; start < source.count; start += batchSize, b++) {
    hooks.beforeStep?.(b);
    const end = Math.min(source.count, start + batchSize);
    const values = tf.tidy(() => {
      const batch = tf.tensor4d(source.pixels(indexRange(start, end)), [end - start, h, w, c]);
      return Float32Array.from(unitActivation(model, batch, unit, false).dataSync());
    });
    all.set(values, start);
    hooks.onStep?.(b, values.reduce((sum, v) => sum + v, 0) / values.length);
  }
  const order = Array.from(all.keys()).sort((i, j) => (all[j] ?? 0) - (all[i] ?? 0) || i - j);
  const indices = Int32Array.from(order.slice(0, k));
  return { indices, activations: Float32Array.from(indices, (i) => all[i] ?? NaN) };
}

export interface FeatureMaximizationOptions {
  /** Gradient steps T. */
  steps: number;
  /** α: the L2 length of each step per example, in [0,1] pixel units. */
  stepSize: number;
  /** L2 radius around the start, in pixel units; Infinity: only the [0,1] box (synthesis). */
  epsilon: number;
  /** Use the fake ReLU on the representation (default true; false for imported models). */
  fakeRelu?: boolean;
}

export interface FeatureMaximizationOutcome {
  /** x^T [N,H,W,C] in [0,1]; the caller disposes it. */
  images: tf.Tensor4D;
  /** r_u(x⁰) per example. */
  activationBefore: number[];
  /** r_u(x^T) per example. */
  activationAfter: number[];
  /** Batch mean of r_u at x⁰, x¹, …, x^T (T + 1 values). */
  activationPerStep: number[];
}

function validateMaximizationOptions(
  options: FeatureMaximizationOptions,
): Required<FeatureMaximizationOptions> {
  const { steps, stepSize, epsilon, fakeRelu = true } = options;
  wholeAtLeast(steps, 1, 'steps');
  positiveFinite(stepSize, 'the step size');
  if (epsilon !== Infinity) nonNegativeFinite(epsilon, 'epsilon (the L2 radius)');
  return { steps, stepSize, epsilon, fakeRelu };
}

/**
 * Ascends r_u from `start` (see the file comment). Hooks: beforeStep(t) before step t;
 * onStep(t, mean r_u at x^{t+1}); onFrame(t, x^{t+1}).
 */
export function maximizeFeature(
  model: Model,
  start: tf.Tensor4D,
  unit: number,
  options: FeatureMaximizationOptions,
  hooks: FeatureStepHooks = {},
): FeatureMaximizationOutcome {
  const { steps, stepSize, epsilon, fakeRelu } = validateMaximizationOptions(options);
  checkUnit(unit);
  checkImages(model, start);
  // Check the unit (and that the model has the fake ReLU) on one image without a gradient: an
  // error thrown inside tf.valueAndGrad's function would leave that pass's tensors behind.
  tf.tidy(() => {
    unitActivation(model, tf.slice(start, 0, 1), unit, fakeRelu);
  });

  const activationAndGradient = tf.valueAndGrad<tf.Tensor, tf.Tensor1D>((point) =>
    unitActivation(model, point as tf.Tensor4D, unit, fakeRelu),
  );
  const evaluate = (point: tf.Tensor4D): { value: number[]; grad: tf.Tensor4D } =>
    tf.tidy(() => {
      const { value, grad } = activationAndGradient(
        point,
        tf.ones([point.shape[0]]) as tf.Tensor1D,
      );
      return { value: Array.from(value.dataSync()), grad: grad as tf.Tensor4D };
    });
  const ascend = (point: tf.Tensor4D, gradient: tf.Tensor4D): tf.Tensor4D =>
    tf.tidy(() => {
      const moved = l2Constraint.step(point, gradient, stepSize);
      return epsilon === Infinity
        ? clipToPixelRange(moved)
        : l2Constraint.project(start, moved, epsilon);
    });
  const mean = (values: number[]): number =>
    values.reduce((sum, v) => sum + v, 0) / Math.max(1, values.length);

  let point = tf.clone(start);
  // The gradient at the current point; held here too so that `finally` disposes it.
  let held: tf.Tensor4D | null = null;
  try {
    const first = evaluate(point);
    let gradient = first.grad;
    held = gradient;
    const activationBefore = first.value;
    const activationPerStep = [mean(activationBefore)];
    let current = activationBefore;
    for (let t = 0; t < steps; t++) {
      hooks.beforeStep?.(t);
      const next = ascend(point, gradient);
      point.dispose();
      point = next;
      if (t < steps - 1) {
        const evaluated = evaluate(point);
        gradient.dispose();
        gradient = evaluated.grad;
        held = gradient;
        current = evaluated.value;
      } else {
        // The last point needs no gradient: one forward pass.
        const last = point;
        current = tf.tidy(() => Array.from(unitActivation(model, last, unit, false).dataSync()));
      }
      activationPerStep.push(mean(current));
      hooks.onStep?.(t, mean(current));
      hooks.onFrame?.(t, point);
    }
    return { images: point, activationBefore, activationAfter: current, activationPerStep };
  } catch (error) {
    point.dispose();
    throw error;
  } finally {
    if (held !== null) held.dispose();
  }
}
