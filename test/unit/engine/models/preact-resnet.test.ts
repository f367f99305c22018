/**
 * The pre-activation ResNet-14 and its BatchNorm: parameter list and count, shapes on 32×32×3
 * and 28×28×1, inference independent of the batch, running statistics updated (exactly, by the
 * documented formula) only in training mode, the custom BatchNorm gradient against finite
 * differences, gradients reaching every trainable weight and the input, and a short MNIST run
 * that lowers the loss.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchNorm } from '../../../../src-main/engine/models/batch-norm';
import { architectures } from '../../../../src-main/engine/models/architecture-registry';
import { createModel } from '../../../../src-main/engine/models/create-model';
import {
  exportWeights,
  importWeights,
  parameterCount,
} from '../../../../src-main/engine/models/model-weights';
import { trainableVariables, type Model } from '../../../../src-main/engine/models/model-types';
import type { ModelSpec } from '../../../../src-main/engine/engine-types';
import { trainingStep } from '../../../../src-main/engine/training/training-step';
import { mnistDigits } from '../mnist-fixture';
import { maxRelativeError, useBackend } from '../use-backend';

const cifar: ModelSpec = { architecture: 'preact-resnet', inputShape: [32, 32, 3], numClasses: 10 };
const mnist: ModelSpec = { ...cifar, inputShape: [28, 28, 1] };

function weightValues(model: Model, name: string): number[] {
  const found = model.parameters.find((p) => p.name === name);
  if (found === undefined) throw new Error(`no ${name}`);
  return Array.from(found.variable.dataSync());
}

describe('preact-resnet', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('lists its weights: no conv biases, BatchNorm γ/β trainable, running statistics buffers', () => {
    const specs = architectures.get('preact-resnet').parameters(cifar);
    const conv = (k: number, cin: number, cout: number) => k * k * cin * cout;
    const block = (cin: number, cout: number, projection: boolean) =>
      2 * cin +
      conv(3, cin, cout) +
      2 * cout +
      conv(3, cout, cout) +
      (projection ? conv(1, cin, cout) : 0);
    const expected =
      conv(3, 3, 16) +
      2 * block(16, 16, false) +
      block(16, 32, true) +
      block(32, 32, false) +
      block(32, 64, true) +
      block(64, 64, false) +
      2 * 64 +
      (64 * 10 + 10);
    expect(parameterCount(cifar)).toBe(expected);
    expect(expected).toBe(175_066);
    expect(parameterCount(mnist)).toBe(175_066 - conv(3, 2, 16));
    const names = specs.map((p) => p.name);
    expect(names.slice(0, 6)).toEqual([
      'conv0.weight',
      'stage1.block1.bn1.weight',
      'stage1.block1.bn1.bias',
      'stage1.block1.bn1.running_mean',
      'stage1.block1.bn1.running_var',
      'stage1.block1.conv1.weight',
    ]);
    expect(names).toContain('stage2.block1.shortcut.weight');
    expect(names).not.toContain('stage2.block2.shortcut.weight');
    expect(names.filter((n) => n.endsWith('.bias'))).toHaveLength(14); // 13 BNs + fc
    const buffers = specs.filter((p) => p.trainable === false).map((p) => p.name);
    expect(buffers).toHaveLength(26);
    expect(buffers.every((n) => /running_(mean|var)$/.test(n))).toBe(true);
    const graphWeights = architectures.get('preact-resnet');
    if (!('graph' in graphWeights) || graphWeights.graph === undefined) {
      throw new Error('a layer graph expected');
    }
    const fromGraph = graphWeights
      .graph(cifar)
      .layers.flatMap((l) => ('weights' in l ? [l.weights] : []));
    expect(new Set(fromGraph)).toEqual(new Set(names.map((n) => n.replace(/\.[a-z_]+$/, ''))));
  });

  it('gives logits and a non-negative 64-d representation on 32×32×3 and 28×28×1', () => {
    for (const spec of [cifar, mnist]) {
      const model = createModel(spec, 1);
      const images = tf.randomUniform([2, ...spec.inputShape], 0, 1, 'float32', 2) as tf.Tensor4D;
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        const { logits, representation } = model.forward(images);
        expect(logits.shape).toEqual([2, 10]);
        expect(representation.shape).toEqual([2, 64]);
        expect(Math.min(...representation.dataSync())).toBeGreaterThanOrEqual(0);
      });
      tf.tidy(() => {
        model.forward(images, { training: true });
      });
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose(images);
      model.dispose();
    }
  });

  it('in inference mode an example’s output does not depend on its batch; in training mode it does', () => {
    const model = createModel(mnist, 3);
    const digits = mnistDigits(1);
    const batch = tf.tensor4d(digits.images.data, digits.images.shape);
    const first = tf.slice(batch, [0, 0, 0, 0], [1, -1, -1, -1]);
    const alone = tf.tidy(() => model.forward(first).logits.dataSync());
    const inBatch = tf.tidy(() =>
      tf.slice(model.forward(batch).logits, [0, 0], [1, -1]).dataSync(),
    );
    expect(maxRelativeError(inBatch, alone)).toBeLessThan(1e-5);
    const trainAlone = tf.tidy(() =>
      tf
        .slice(model.forward(tf.concat([first, first]), { training: true }).logits, [0, 0], [1, -1])
        .dataSync(),
    );
    const trainBatch = tf.tidy(() =>
      tf.slice(model.forward(batch, { training: true }).logits, [0, 0], [1, -1]).dataSync(),
    );
    expect(maxRelativeError(trainBatch, trainAlone)).toBeGreaterThan(1e-3);
    tf.dispose([batch, first]);
    model.dispose();
  });

  it('training mode updates the running statistics by momentum 0.1 (unbiased variance); inference does not', () => {
    const model = createModel(cifar, 4);
    const images = tf.randomUniform([4, 32, 32, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    const name = 'stage1.block1.bn1';
    tf.tidy(() => {
      model.forward(images);
    });
    expect(weightValues(model, `${name}.running_mean`)).toEqual(new Array(16).fill(0));
    expect(weightValues(model, `${name}.running_var`)).toEqual(new Array(16).fill(1));
    // The BN's input is the stem's output: conv0 of 2x − 1, padding 1.
    const [mean, variance] = tf.tidy(() => {
      const weights = model.parameters.find((p) => p.name === 'conv0.weight')
        ?.variable as tf.Tensor4D;
      const stem = tf.conv2d(tf.sub(tf.mul(images, 2), 1) as tf.Tensor4D, weights, 1, [
        [0, 0],
        [1, 1],
        [1, 1],
        [0, 0],
      ]);
      const moments = tf.moments(stem, [0, 1, 2]);
      const count = 4 * 32 * 32;
      return [moments.mean.dataSync(), tf.mul(moments.variance, count / (count - 1)).dataSync()];
    });
    tf.tidy(() => {
      model.forward(images, { training: true });
    });
    const runningMean = weightValues(model, `${name}.running_mean`);
    const runningVariance = weightValues(model, `${name}.running_var`);
    expect(
      maxRelativeError(
        runningMean,
        Array.from(mean ?? [], (m) => 0.1 * m),
      ),
    ).toBeLessThan(1e-5);
    expect(
      maxRelativeError(
        runningVariance,
        Array.from(variance ?? [], (v) => 0.9 + 0.1 * v),
      ),
    ).toBeLessThan(1e-5);
    // Buffers are saved with the weights and come back with them.
    const copy = importWeights(cifar, exportWeights(model));
    expect(weightValues(copy, `${name}.running_var`)).toEqual(runningVariance);
    expect(copy.parameters.find((p) => p.name === `${name}.running_var`)?.trainable).toBe(false);
    expect(copy.parameters.find((p) => p.name === `${name}.weight`)?.variable.trainable).toBe(true);
    tf.dispose(images);
    model.dispose();
    copy.dispose();
  });

  it('the training-mode BatchNorm gradient matches finite differences', () => {
    const x = tf.randomNormal([3, 2, 2, 3], 1, 2, 'float32', 7);
    const weights = tf.randomNormal([3, 2, 2, 3], 0, 1, 'float32', 8);
    const parameters = new Map<string, tf.Tensor>([
      ['bn.weight', tf.tensor1d([1.5, 0.5, -1])],
      ['bn.bias', tf.tensor1d([0.1, 0, 0.3])],
      ['bn.running_mean', tf.variable(tf.zeros([3]), false)],
      ['bn.running_var', tf.variable(tf.ones([3]), false)],
    ]);
    const loss = (input: tf.Tensor): tf.Scalar =>
      tf.sum(tf.mul(batchNorm(input, parameters, 'bn', true), weights));
    const analytic = tf.tidy(() => tf.grad(loss)(x).dataSync());
    const values = x.dataSync();
    const h = 1e-2;
    const numeric = Array.from(values, (_, i) =>
      tf.tidy(() => {
        const shifted = (delta: number) => {
          const copy = Float32Array.from(values);
          copy[i] = (copy[i] ?? 0) + delta;
          return loss(tf.tensor(copy, x.shape)).dataSync()[0] ?? NaN;
        };
        return (shifted(h) - shifted(-h)) / (2 * h);
      }),
    );
    expect(maxRelativeError(analytic, numeric)).toBeLessThan(2e-2);
    const [dGamma, dBeta] = tf.tidy(() => {
      const grads = tf.grads((g: tf.Tensor, b: tf.Tensor) =>
        tf.sum(
          tf.mul(
            batchNorm(x, new Map([...parameters, ['bn.weight', g], ['bn.bias', b]]), 'bn', true),
            weights,
          ),
        ),
      )([parameters.get('bn.weight') as tf.Tensor, parameters.get('bn.bias') as tf.Tensor]);
      return grads.map((g) => g.dataSync());
    });
    expect(
      maxRelativeError(
        dBeta ?? [],
        tf.tidy(() => tf.sum(weights, [0, 1, 2]).dataSync()),
      ),
    ).toBeLessThan(1e-5);
    expect(dGamma?.length).toBe(3);
    tf.dispose([x, weights, ...parameters.values()]);
  });

  it('gradients reach every trainable weight (training mode) and the input (inference mode)', () => {
    const model = createModel(mnist, 6);
    const digits = mnistDigits(1);
    const images = tf.tensor4d(digits.images.data, digits.images.shape);
    const labels = tf.oneHot(tf.tensor1d(digits.labels, 'int32'), 10);
    const variables = trainableVariables(model);
    expect(variables).toHaveLength(model.parameters.length - 26);
    const norms = tf.tidy(() => {
      const { grads } = tf.variableGrads(
        () =>
          tf.losses.softmaxCrossEntropy(
            labels,
            model.forward(images, { training: true }).logits,
          ) as tf.Scalar,
        variables,
      );
      return variables.map((v) => tf.norm(grads[v.name] ?? tf.zeros([1])).dataSync()[0] ?? 0);
    });
    expect(norms.every((n) => n > 0)).toBe(true);
    const inputNorm = tf.tidy(
      () =>
        tf
          .norm(
            tf.grad((x: tf.Tensor) =>
              tf.sum(tf.slice(model.forward(x as tf.Tensor4D).logits, [0, 3], [-1, 1])),
            )(images),
          )
          .dataSync()[0] ?? 0,
    );
    expect(inputNorm).toBeGreaterThan(0);
    tf.dispose([images, labels]);
    model.dispose();
  });

  it('a few steps of training on MNIST lower the loss', () => {
    const model = createModel(mnist, 7);
    const train = mnistDigits(3, 20);
    const images = tf.tensor4d(train.images.data, train.images.shape);
    const labels = tf.tensor1d(train.labels, 'int32');
    const optimizer = tf.train.adam(3e-3);
    const before = tf.memory().numTensors;
    const losses: number[] = [];
    for (let i = 0; i < 6; i++) losses.push(trainingStep(model, optimizer, images, labels).loss);
    // Adam's slots appear after the first step; the count is then constant.
    const after = tf.memory().numTensors;
    trainingStep(model, optimizer, images, labels);
    expect(tf.memory().numTensors).toBe(after);
    expect(after).toBeGreaterThanOrEqual(before);
    expect(losses.at(-1) ?? Infinity).toBeLessThan((losses[0] ?? 0) * 0.5);
    optimizer.dispose();
    tf.dispose([images, labels]);
    model.dispose();
  });
});
