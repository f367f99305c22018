/**
 * Imported ONNX models against PyTorch itself: test/reference/onnx_fixtures.py builds models
 * with seeded weights (a BatchNorm CNN for 28×28×1, a CNN behind an input-normalization layer,
 * a CIFAR pre-activation ResNet-18, a CNN of the other activations and grouped/depthwise convs,
 * a RobustBench-form WideResNet-16-2, a CNN of dilated convs, a CNN slicing and gathering its
 * activations), exports them with torch.onnx.export and writes PyTorch's logits and input
 * gradients of the summed cross-entropy for a fixed batch. Each model is imported as the
 * workbench runs it — NHWC images in [0,1] straight into the translated graph — and must
 * match: logits to 1e-4 and input gradients to 1e-3, relative to the largest magnitude of
 * PyTorch's values (max |ours − torch| / max |torch|; elementwise relative error is
 * meaningless for gradient entries that are zero up to rounding; the largest absolute
 * difference is reported beside it). Skipped, with the reason printed, where /usr/bin/python3
 * cannot import torch.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crossEntropyPerExample } from '../../../../../src-main/engine/attacks/per-example-loss';
import { decodeModel } from '../../../../../src-main/engine/models/onnx/onnx-proto';
import { translateGraph } from '../../../../../src-main/engine/models/onnx/translate-graph';
import { missingPythonModules, runPythonJson } from '../../../python-oracle';
import { useBackend } from '../../use-backend';
import {
  errorRelativeToScale,
  maxAbsoluteDifference,
  nchwToNhwc,
  nhwcToNchwValues,
  type PyTorchFixture,
  comparedFixtureModels,
} from './pytorch-layout';

const missing = missingPythonModules(['torch', 'numpy']);

const models = comparedFixtureModels;

describe.skipIf(missing !== null)('ONNX models exported by PyTorch', () => {
  let directory = '';
  let fixtures: PyTorchFixture[] = [];
  const report: string[] = [];

  beforeAll(async () => {
    await useBackend('wasm');
    directory = mkdtempSync(join(tmpdir(), 'rfw-onnx-'));
    const out = runPythonJson<{ torch: string; opset: number; models: PyTorchFixture[] }>(
      'test/reference/onnx_fixtures.py',
      [directory],
    );
    fixtures = out.models;
    report.push(`PyTorch ${out.torch}, opset ${out.opset}`);
  });

  afterAll(() => {
    console.log(report.join('\n'));
    if (directory !== '') rmSync(directory, { recursive: true, force: true });
  });

  it.each(models)('%s gives PyTorch’s logits and input gradients', (name) => {
    const fixture = fixtures.find((f) => f.name === name);
    if (fixture === undefined) throw new Error(`no fixture ${name}`);
    const graph = translateGraph(decodeModel(readFileSync(fixture.file)), {
      inputLayout: 'nhwc',
      stripOutputSoftmax: true,
    });
    try {
      expect(graph.inputs).toEqual([{ name: 'input', shape: ['N', ...fixture.inputShape] }]);
      const [c, h, w] = fixture.inputShape;
      const n = fixture.labels.length;
      const images = nchwToNhwc(fixture.images, [n, c, h, w]);
      const labels = tf.tensor1d(fixture.labels, 'int32');
      const logitsOf = (x: tf.Tensor): tf.Tensor2D => {
        const logits = graph.run(new Map([['input', x]])).get('logits');
        if (logits === undefined) throw new Error('no logits');
        return logits as tf.Tensor2D;
      };
      const logits = tf.tidy(() => logitsOf(images).dataSync());
      const gradient = tf.tidy(() => {
        const g = tf.grad((x: tf.Tensor) => tf.sum(crossEntropyPerExample(logitsOf(x), labels)));
        return nhwcToNchwValues(g(images) as tf.Tensor4D);
      });
      tf.dispose([images, labels]);
      const logitError = errorRelativeToScale(logits, fixture.logits);
      const gradientError = errorRelativeToScale(gradient, fixture.gradient);
      report.push(
        `${name}: ops ${[...graph.opCounts].map(([op, k]) => `${op}×${k}`).join(' ')}; ` +
          `logits error ${logitError.toExponential(2)} ` +
          `(max |Δ| ${maxAbsoluteDifference(logits, fixture.logits).toExponential(2)}), ` +
          `input-gradient error ${gradientError.toExponential(2)} ` +
          `(max |Δ| ${maxAbsoluteDifference(gradient, fixture.gradient).toExponential(2)})`,
      );
      expect(logitError).toBeLessThan(1e-4);
      expect(gradientError).toBeLessThan(1e-3);
    } finally {
      graph.dispose();
    }
  });
});
