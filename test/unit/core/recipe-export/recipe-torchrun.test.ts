/**
 * Really distributed (issue 16): the exported train.py under `torchrun --standalone
 * --nproc_per_node=2 --redirects 1 --tee 1` on CPU (gloo) trains one epoch of PGD training with validation on a
 * 128-image subset, and writes what the workbench records per epoch (metrics.jsonl), a
 * checkpoint, model.onnx + model.npz and final_metrics.json. onnxruntime running model.onnx on
 * the test images the script measured gives the accuracy the script reported.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli, runCli } from '../../cli-process';
import { runWithOnnxRuntime } from '../../engine/models/onnx-runtime-oracle';
import { missingPythonModules } from '../../python-oracle';
import { check, exportRecipe, readNpy, recipeConfig, torchrun } from './recipe-fixture';

const missing =
  missingPythonModules(['numpy', 'torch']) ??
  (existsSync(torchrun) ? null : `${torchrun} is missing`);

const TEST_IMAGES = 100;

describe.skipIf(missing !== null)('the exported recipe under torchrun', () => {
  let home = '';
  let project = '';

  beforeAll(async () => {
    requireBuiltCli();
    home = mkdtempSync(join(tmpdir(), 'rfw-recipe-torchrun-'));
    project = join(home, 'p.rfw');
    expect((await runCli(home, ['demo', '--project', project])).code).toBe(0);
  });
  afterAll(() => {
    if (home !== '') rmSync(home, { recursive: true, force: true });
  });

  it('trains one epoch in 2 processes and writes metrics, checkpoint and model', async () => {
    const folder = join(home, 'recipe');
    const config = recipeConfig({
      architecture: 'small-cnn',
      trainLimit: 128,
      batchSize: 32,
      adversarial: {
        constraint: 'linf',
        epsilon: 0.1,
        steps: 2,
        stepSize: 0.05,
        randomStart: true,
      },
      epsilonWarmupEpochs: 1,
      validation: { size: 64, everyEpochs: 1, attack: null },
    });
    const exported = await exportRecipe(home, project, config, folder);
    expect(exported.code, exported.stderr).toBe(0);
    const output = check(
      torchrun,
      [
        // Debian's torch 1.13 under Python 3.11 reads torchrun's default --redirects 0 as None
        // (Std.NONE is a zero IntFlag, which 3.11 no longer iterates); 1 and --tee 1 parse.
        ...['--standalone', '--nproc_per_node=2', '--redirects', '1', '--tee', '1', 'train.py'],
        ...['--threads', '1', '--test-limit', String(TEST_IMAGES)],
      ],
      folder,
    );
    console.log(output);
    const run = join(folder, 'run');
    const records = readFileSync(join(run, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as { step: number; epoch: number; values: Record<string, number> },
      );
    // 128 images in batches of 32: 4 steps, one record at the epoch end (the workbench flushes
    // every 10 batches and at each epoch end).
    expect(records.map((r) => [r.step, r.epoch])).toEqual([[4, 1]]);
    const values = records[0]?.values ?? {};
    expect(Object.keys(values).sort()).toEqual(
      [
        'best_epoch',
        'lr',
        'test.accuracy',
        'test.adversarialAccuracy',
        'train.accuracy',
        'train.adversarialAccuracy',
        'train.adversarialLoss',
        'train.epsilon',
        'train.loss',
        'val_accuracy',
        'val_robust_accuracy',
      ].sort(),
    );
    // The warm-up ramp over the epoch's 4 batches: ε·(1, 2, 3, 4)/4, averaged.
    expect(values['train.epsilon']).toBeCloseTo((0.1 * (1 + 2 + 3 + 4)) / 4 / 4, 6);
    expect(existsSync(join(run, 'checkpoints', 'epoch-1.pt'))).toBe(true);
    const summary = JSON.parse(readFileSync(join(run, 'final_metrics.json'), 'utf8')) as {
      testAccuracy: number;
      testCount: number;
      worldSize: number;
      backend: string;
      bestEpoch: number;
    };
    expect(summary).toMatchObject({ worldSize: 2, backend: 'gloo', bestEpoch: 1 });
    expect(summary.testCount).toBe(TEST_IMAGES);
    expect(summary.testAccuracy).toBe(values['test.accuracy']);

    // model.onnx on the same test images: the script's accuracy.
    const images = readNpy(join(folder, 'data', 'test_images.npy'));
    const labels = readNpy(join(folder, 'data', 'test_labels.npy'));
    const [, h, w] = images.shape as [number, number, number, number];
    const pixels = Float32Array.from(
      (images.data as Uint8Array).subarray(0, TEST_IMAGES * h * w),
      (v) => v / 255,
    );
    const { values: logits } = await runWithOnnxRuntime(
      readFileSync(join(run, 'model.onnx')),
      pixels,
      [TEST_IMAGES, 1, h, w],
    );
    let correct = 0;
    for (let n = 0; n < TEST_IMAGES; n++) {
      const row = Array.from(logits.subarray(n * 10, (n + 1) * 10));
      if (row.indexOf(Math.max(...row)) === Number((labels.data as BigInt64Array)[n])) correct++;
    }
    expect(correct / TEST_IMAGES).toBe(summary.testAccuracy);
  });
});
