/**
 * `rfw export --format onnx` through the built CLI (out/main/cli.js): a model trained by the CLI
 * is written as model.onnx + README.txt, and onnxruntime-node running that file on real MNIST
 * digits gives the logits the workbench computes from the weights stored in the project.
 */

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelSpecOf } from '../../../../src-main/core/model-spec';
import { ProjectService } from '../../../../src-main/core/project-service';
import { RecentProjects } from '../../../../src-main/core/recent-projects';
import { importWeights } from '../../../../src-main/engine/models/model-weights';
import { runWithOnnxRuntime } from '../../engine/models/onnx-runtime-oracle';
import { maxRelativeError, useBackend } from '../../engine/use-backend';
import { requireBuiltCli, runCli, type CliRun } from '../../cli-process';

function rfw(home: string, ...args: string[]): Promise<CliRun> {
  return runCli(home, args);
}

describe('rfw export --format onnx', () => {
  let home = '';
  let project = '';

  beforeAll(async () => {
    requireBuiltCli();
    await useBackend('cpu');
    home = mkdtempSync(join(tmpdir(), 'rfw-cli-onnx-'));
    project = join(home, 'p.rfw');
  });
  afterAll(() => {
    if (home !== '') rmSync(home, { recursive: true, force: true });
  });

  it('names the format in its help', async () => {
    const { code, stdout } = await rfw(home, 'help');
    expect(code).toBe(0);
    expect(stdout).toContain('--model ID --format npz|tfjs-layers|onnx --to DIR');
  });

  it('writes model.onnx that onnxruntime runs with the workbench’s logits', async () => {
    expect((await rfw(home, 'demo', '--project', project)).code).toBe(0);
    const trained = await rfw(
      home,
      ...['train', '--project', project, '--limit', '256', '--epochs', '1', '--json'],
    );
    expect(trained.code).toBe(0);
    const modelId = (JSON.parse(trained.stdout) as { model: { id: number } }).model.id;

    const folder = join(home, 'onnx');
    const exported = await rfw(
      home,
      ...['export', '--project', project, '--model', String(modelId), '--format', 'onnx'],
      ...['--to', folder, '--json'],
    );
    expect(exported.code).toBe(0);
    const output = JSON.parse(exported.stdout) as { state: string; files: string[] };
    expect(output.files).toEqual([join(folder, 'model.onnx'), join(folder, 'README.txt')]);
    expect(readdirSync(folder).sort()).toEqual(['README.txt', 'model.onnx']);
    expect(readFileSync(join(folder, 'README.txt'), 'utf8')).toContain(
      '"images"  float32 [N, 1, 28, 28]',
    );

    // The workbench's logits from the stored weights, on the project's first 8 digits.
    const service = new ProjectService(
      home,
      new RecentProjects(join(home, 'recent.json')),
      () => {},
    );
    const store = service.open(project) && service.requireCurrent();
    const spec = modelSpecOf(store.models.get(modelId));
    const weights = store.models.weights(modelId);
    const dataset = store.datasets.get(store.models.get(modelId).datasetId);
    const stored = store.datasets.readImages(dataset, [0, 1, 2, 3, 4, 5, 6, 7]);
    const pixels =
      stored instanceof Float32Array ? stored : Float32Array.from(stored, (v) => v / 255);
    service.close();
    const model = importWeights(spec, weights);
    const expected = tf.tidy(
      () => model.forward(tf.tensor4d(pixels, [8, 28, 28, 1])).logits.dataSync() as Float32Array,
    );
    model.dispose();
    // One channel: NCHW and NHWC hold the same order.
    const ort = await runWithOnnxRuntime(
      readFileSync(join(folder, 'model.onnx')),
      pixels,
      [8, 1, 28, 28],
    );
    expect(ort.dims).toEqual([8, 10]);
    expect(maxRelativeError(ort.values, expected)).toBeLessThanOrEqual(1e-4);
  }, 240_000);

  it('refuses an unknown format, naming the ones it writes', async () => {
    const refused = await rfw(
      home,
      ...['export', '--project', project, '--model', '1', '--format', 'onnx2'],
      ...['--to', join(home, 'never')],
    );
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/npz.*tfjs-layers.*onnx/);
    expect(existsSync(join(home, 'never'))).toBe(false);
  });
});
