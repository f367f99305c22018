/**
 * The ONNX importer against a second runtime no one here wrote: the PyTorch fixture models of
 * test/reference/onnx_fixtures.py (torch.onnx.export, opset 13), run by onnxruntime-node on
 * PyTorch's NCHW batch and by the importer as the workbench runs them (NHWC images in), give
 * the same logits: max |ours − ort| / max(1, |ort|) ≤ 1e-4. onnxruntime against PyTorch's own
 * logits is reported beside it. Skipped, with the reason, where /usr/bin/python3 lacks torch.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeModel } from '../../../../../src-main/engine/models/onnx/onnx-proto';
import { translateGraph } from '../../../../../src-main/engine/models/onnx/translate-graph';
import { missingPythonModules, runPythonJson } from '../../../python-oracle';
import { maxRelativeError, useBackend } from '../../use-backend';
import { runWithOnnxRuntime } from '../onnx-runtime-oracle';
import { comparedFixtureModels, type PyTorchFixture } from './pytorch-layout';

const missing = missingPythonModules(['torch', 'numpy']);

const models = comparedFixtureModels;

describe.skipIf(missing !== null)('ONNX importer against onnxruntime-node', () => {
  let directory = '';
  let fixtures: PyTorchFixture[] = [];
  const report: string[] = [];

  beforeAll(async () => {
    await useBackend('wasm');
    directory = mkdtempSync(join(tmpdir(), 'rfw-onnx-ort-'));
    fixtures = runPythonJson<{ models: PyTorchFixture[] }>('test/reference/onnx_fixtures.py', [
      directory,
    ]).models;
  });

  afterAll(() => {
    console.log(report.join('\n'));
    if (directory !== '') rmSync(directory, { recursive: true, force: true });
  });

  it.each(models)('%s: the importer gives onnxruntime’s logits', async (name) => {
    const fixture = fixtures.find((f) => f.name === name);
    if (fixture === undefined) throw new Error(`no fixture ${name}`);
    const bytes = readFileSync(fixture.file);
    const [c, h, w] = fixture.inputShape;
    const n = fixture.labels.length;
    const ort = await runWithOnnxRuntime(bytes, Float32Array.from(fixture.images), [n, c, h, w]);

    const graph = translateGraph(decodeModel(bytes), {
      inputLayout: 'nhwc',
      stripOutputSoftmax: true,
    });
    const ours = tf.tidy(() => {
      const images = tf.transpose(tf.tensor4d(fixture.images, [n, c, h, w]), [0, 2, 3, 1]);
      const logits = graph.run(new Map([['input', images]])).get('logits');
      if (logits === undefined) throw new Error('no logits');
      return logits.dataSync();
    });
    graph.dispose();

    expect(ort.dims).toEqual([n, fixture.logits.length / n]);
    const importerError = maxRelativeError(ours, ort.values);
    const ortVsTorch = maxRelativeError(ort.values, fixture.logits);
    report.push(
      `${name}: importer vs onnxruntime ${importerError.toExponential(2)}; ` +
        `onnxruntime vs PyTorch ${ortVsTorch.toExponential(2)}`,
    );
    expect(importerError).toBeLessThanOrEqual(1e-4);
    expect(ortVsTorch).toBeLessThanOrEqual(1e-4);
  });
});
