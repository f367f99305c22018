/**
 * Gradient attacks on images the model is very sure of (logit margins 20–45), where the
 * cross-entropy's input gradient is ~1e-9 per pixel. Before the fix, tfjs-wasm's Sign zeroed
 * every |x| < 1.2e-7, so L∞ PGD, FGSM and APGD never moved these images and reported them
 * robust (3.8% robust accuracy on a standard MNIST CNN whose true figure is 0%), and the
 * cross-entropy rounded to exactly 0, so best-loss tracking saw ties. Checked against PyTorch's
 * PGD on the same weights and images (test/reference/pgd_linf_reference.py).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runApgd } from '../../../../src-main/engine/attacks/apgd';
import {
  fgsmOptions,
  type AttackOptions,
} from '../../../../src-main/engine/attacks/attack-options';
import { cwMarginPerExample } from '../../../../src-main/engine/attacks/margin-losses';
import { crossEntropyPerExample } from '../../../../src-main/engine/attacks/per-example-loss';
import { runAttack } from '../../../../src-main/engine/attacks/pgd';
import { createModel } from '../../../../src-main/engine/models/create-model';
import { encodeNpy } from '../../../../src-main/engine/models/export/npy';
import type { Model } from '../../../../src-main/engine/models/model-types';
import { missingPythonModules, runPythonJson } from '../../python-oracle';
import { mnistDigits } from '../mnist-fixture';
import { useBackend } from '../use-backend';

const pgd: AttackOptions = {
  constraint: 'linf',
  epsilon: 0.3,
  steps: 40,
  stepSize: 0.01,
  randomStart: false,
  restarts: 1,
  targetClass: null,
  seed: 0,
};

interface Confident {
  model: Model;
  images: tf.Tensor4D;
  /** The model's own predictions, so every image starts correctly classified. */
  labels: tf.Tensor1D;
  margins: number[];
}

/**
 * A He-initialized Madry CNN whose logits are scaled (fc2 weight and bias × k) so that the
 * median margin is 30, on the digits whose scaled margin lies in [20, 45]; labels are its own
 * predictions. Margins above ~87 would underflow e^−margin itself, which no float32 attack
 * (PyTorch's included) can follow.
 */
function confidentModel(): Confident {
  const model = createModel(
    { architecture: 'madry-cnn', inputShape: [28, 28, 1], numClasses: 10 },
    5,
  );
  const digits = mnistDigits(8);
  const all = tf.tensor4d(digits.images.data, digits.images.shape);
  const logits = model.forward(all).logits;
  const predicted = tf.argMax(logits, 1) as tf.Tensor1D;
  const margins = Array.from(tf.neg(cwMarginPerExample(logits, predicted)).dataSync());
  const median = [...margins].sort((a, b) => a - b)[Math.floor(margins.length / 2)] ?? 1;
  const scale = 30 / median;
  for (const { name, variable } of model.parameters) {
    if (name.startsWith('fc2.')) variable.assign(tf.mul(variable, scale));
  }
  const keep = margins
    .map((m, n) => [m * scale, n] as const)
    .filter(([m]) => m >= 20 && m <= 45)
    .map(([, n]) => n);
  const index = tf.tensor1d(keep, 'int32');
  const images = tf.gather(all, index) as tf.Tensor4D;
  const labels = tf.cast(tf.gather(predicted, index), 'int32') as tf.Tensor1D;
  const scaled = model.forward(images).logits;
  const result = {
    model,
    images,
    labels,
    margins: Array.from(tf.neg(cwMarginPerExample(scaled, labels)).dataSync()),
  };
  tf.dispose([all, logits, predicted, index, scaled]);
  return result;
}

function crossEntropy(model: Model, images: tf.Tensor4D, labels: tf.Tensor1D): number[] {
  return tf.tidy(() =>
    Array.from(crossEntropyPerExample(model.forward(images).logits, labels).dataSync()),
  );
}

function cwMargin(model: Model, images: tf.Tensor4D, labels: tf.Tensor1D): number[] {
  return tf.tidy(() =>
    Array.from(cwMarginPerExample(model.forward(images).logits, labels).dataSync()),
  );
}

/** log(1 + Σ_{j≠y} e^{z_j − z_y}) in float64 from the float32 logits. */
function referenceCrossEntropy(logits: number[][], labels: number[]): number[] {
  return logits.map((row, n) => {
    const own = row[labels[n] ?? 0] ?? 0;
    const sum = row.reduce((s, z, j) => (j === labels[n] ? s : s + Math.exp(z - own)), 0);
    return Math.log1p(sum);
  });
}

let confident: Confident;

describe('attacks on confidently classified images', () => {
  beforeAll(async () => {
    await useBackend('wasm');
    confident = confidentModel();
  });
  afterAll(() => {
    tf.dispose([confident.images, confident.labels]);
    confident.model.dispose();
  });

  it('works on enough images with margins of 20 to 45', () => {
    expect(confident.margins.length).toBeGreaterThanOrEqual(20);
    expect(Math.min(...confident.margins)).toBeGreaterThanOrEqual(19.9);
  });

  it('keeps the cross-entropy and its gradient precise where the textbook form rounds to 0', () => {
    const { model, images, labels } = confident;
    const logits = model.forward(images).logits;
    const expected = referenceCrossEntropy(
      logits.arraySync() as number[][],
      Array.from(labels.dataSync()),
    );
    const actual = crossEntropy(model, images, labels);
    actual.forEach((value, n) => {
      expect(value).toBeGreaterThan(0);
      expect(Math.abs(value - (expected[n] ?? NaN)) / (expected[n] ?? NaN)).toBeLessThan(1e-4);
    });
    // ∂CE/∂z_y = −Σ_{j≠y} p_j, not the 0 that softmax − one-hot gives in float32.
    const gradient = tf.grad((z: tf.Tensor) =>
      tf.sum(crossEntropyPerExample(z as tf.Tensor2D, labels)),
    )(logits);
    const rows = gradient.arraySync() as number[][];
    rows.forEach((row, n) => {
      const own = row[labels.dataSync()[n] ?? 0] ?? 0;
      expect(own).toBeLessThan(0);
      expect(Math.abs(own + (expected[n] ?? 0))).toBeLessThan(1e-4 * (expected[n] ?? 0));
    });
    tf.dispose([logits, gradient]);
  });

  it('L∞ PGD moves every image and raises its loss; so do FGSM and APGD-CE', () => {
    const { model, images, labels } = confident;
    const before = crossEntropy(model, images, labels);
    const margins = cwMargin(model, images, labels);
    for (const options of [
      pgd,
      fgsmOptions({ constraint: 'linf', epsilon: 0.3, targetClass: null, seed: 0 }),
    ]) {
      const outcome = runAttack(model, images, labels, options);
      expect(outcome.stalled.filter(Boolean)).toHaveLength(0);
      const after = crossEntropy(model, outcome.adversarial, labels);
      after.forEach((value, n) => expect(value).toBeGreaterThan(before[n] ?? Infinity));
      tf.dispose([outcome.adversarial, outcome.loss]);
    }
    const apgd = runApgd(model, images, labels, {
      constraint: 'linf',
      epsilon: 0.3,
      iterations: 20,
      restarts: 1,
      randomStart: true,
      seed: 0,
    });
    const apgdMargins = cwMargin(model, apgd.adversarial, labels);
    apgdMargins.forEach((value, n) => expect(value).toBeGreaterThan(margins[n] ?? Infinity));
    tf.dispose([apgd.adversarial, apgd.margin]);
  });

  it('L2 steps take their full length however small the gradient', () => {
    const { model, images, labels } = confident;
    const outcome = runAttack(model, images, labels, {
      ...pgd,
      constraint: 'l2',
      epsilon: 3,
      stepSize: 0.5,
      steps: 1,
    });
    const moved = tf.tidy(() =>
      Array.from(
        tf.sqrt(tf.sum(tf.square(tf.sub(outcome.adversarial, images)), [1, 2, 3])).dataSync(),
      ),
    );
    // One step of 0.5 from x, shortened only by clipping to [0,1] (MNIST's background is 0).
    moved.forEach((distance) => expect(distance).toBeGreaterThan(0.1));
    expect(outcome.stalled.filter(Boolean)).toHaveLength(0);
    tf.dispose([outcome.adversarial, outcome.loss]);
  });

  const missing = missingPythonModules(['torch', 'numpy']);
  it.skipIf(missing !== null)('breaks every image PyTorch’s PGD breaks on the same weights', () => {
    const { model, images, labels } = confident;
    const folder = mkdtempSync(join(tmpdir(), 'rfw-pgd-oracle-'));
    try {
      for (const { name, variable } of model.parameters) {
        writeFileSync(
          join(folder, `${name}.npy`),
          encodeNpy(variable.shape, variable.dataSync() as Float32Array),
        );
      }
      writeFileSync(
        join(folder, 'images.npy'),
        encodeNpy(images.shape, images.dataSync() as Float32Array),
      );
      writeFileSync(
        join(folder, 'labels.npy'),
        encodeNpy(labels.shape, Float32Array.from(labels.dataSync())),
      );
      const torch = runPythonJson<{
        cleanLoss: number[];
        finalLoss: number[];
        fooled: boolean[];
        moved: number[];
      }>(resolve('test/reference/pgd_linf_reference.py'), [
        folder,
        String(pgd.epsilon),
        String(pgd.stepSize),
        String(pgd.steps),
      ]);
      const outcome = runAttack(model, images, labels, pgd);
      const ours = tf.tidy(() =>
        Array.from(
          tf.notEqual(tf.argMax(model.forward(outcome.adversarial).logits, 1), labels).dataSync(),
          Boolean,
        ),
      );
      // PyTorch's PGD moves every image and breaks it; so must ours (one image of float noise).
      expect(torch.moved.every((d) => d > 0)).toBe(true);
      const brokenByTorchOnly = torch.fooled.filter(
        (fooled, n) => fooled && ours[n] !== true,
      ).length;
      expect(brokenByTorchOnly).toBeLessThanOrEqual(1);
      expect(ours.filter(Boolean).length).toBeGreaterThanOrEqual(
        torch.fooled.filter(Boolean).length - 1,
      );
      // The clean losses agree: the same weights, layouts and cross-entropy.
      const clean = crossEntropy(model, images, labels);
      clean.forEach((value, n) =>
        expect(Math.abs(value - (torch.cleanLoss[n] ?? NaN))).toBeLessThan(
          1e-3 * Math.max(1e-6, torch.cleanLoss[n] ?? 0) + 1e-12,
        ),
      );
      tf.dispose([outcome.adversarial, outcome.loss]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
