/**
 * Model export and import as project runs, on the real engine worker (out/main/engine-worker.js,
 * built by `npx electron-vite build`, which `npm test` runs first): a trained model exported as a
 * TensorFlow.js layers model and imported back is the same classifier (same clean predictions
 * under an attack run), both kinds of model export as .npz, and requests that cannot succeed
 * (a non-empty folder, a dataset of other images) are refused before anything is written.
 */
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttackConfig } from '../../../src-main/common/attack-schemas';
import { modelSpecOf } from '../../../src-main/core/model-spec';
import { splitIndices } from '../../../src-main/core/datasets/dataset-reading';
import type { Workbench } from '../../../src-main/core/workbench';
import { workerWorkbench, type WorkerWorkbench } from './worker-workbench';

describe('model import and export on the real engine worker', () => {
  let workbench: Workbench;
  let home: string;
  let datasetId: number;
  let trainedId: number;
  let importedId: number;
  let layersFolder: string;
  let end: WorkerWorkbench['end'];

  /** Starts a job and resolves with its run id once it completed. */
  async function complete(start: Promise<{ jobId: string; runId: number }>): Promise<number> {
    const started = await start;
    expect(await end(started)).toEqual({ state: 'completed', error: null });
    return started.runId;
  }

  function attackConfig(modelId: number, indices: number[]): AttackConfig {
    return AttackConfig.parse({
      modelId,
      datasetId,
      indices,
      method: 'pgd',
      perturbation: {
        constraint: 'linf',
        epsilon: 0.1,
        steps: 2,
        stepSize: 0.05,
        randomStart: false,
      },
      restarts: 1,
      targetClass: null,
      seed: 0,
    });
  }

  beforeAll(async () => {
    const setup = workerWorkbench(1, 'rfw-model-io-');
    ({ workbench, datasetId, end } = setup);
    home = mkdtempSync(join(tmpdir(), 'rfw-model-io-files-'));
    trainedId = await setup.trainTinyModel(1, 256);
  }, 180_000);

  afterAll(async () => {
    await workbench.dispose();
  });

  it('exports a trained model as model.json + weights.bin, recorded as an export run', async () => {
    layersFolder = join(home, 'layers-export');
    const runId = await complete(
      Promise.resolve(
        workbench.handlers['jobs.exportModel']({
          modelId: trainedId,
          format: 'tfjs-layers',
          folder: layersFolder,
        }),
      ),
    );
    expect(readdirSync(layersFolder).sort()).toEqual(['model.json', 'weights.bin']);
    const { result } = await workbench.handlers['runs.modelTransferResult']({ runId });
    expect(result).toEqual({
      kind: 'export',
      modelId: trainedId,
      format: 'tfjs-layers',
      folder: layersFolder,
      files: [join(layersFolder, 'model.json'), join(layersFolder, 'weights.bin')],
    });
    const run = workbench.projects.requireCurrent().runs.get(runId);
    expect({ kind: run.kind, modelId: run.modelId }).toEqual({
      kind: 'export',
      modelId: trainedId,
    });
  }, 120_000);

  it('imports that model.json back as the same classifier', async () => {
    const runId = await complete(
      Promise.resolve(
        workbench.handlers['jobs.importModel']({
          format: 'tfjs-layers',
          path: join(layersFolder, 'model.json'),
          datasetId,
          name: 'tiny again',
          inputRange: [0, 1],
        }),
      ),
    );
    const store = workbench.projects.requireCurrent();
    const { result } = await workbench.handlers['runs.modelTransferResult']({ runId });
    if (result.kind !== 'import') throw new Error('wrong result kind');
    importedId = result.modelId;
    expect(result.notes.length).toBeGreaterThan(0);
    const imported = store.models.get(importedId);
    const trained = store.models.get(trainedId);
    expect(imported).toMatchObject({
      name: 'tiny again',
      architecture: 'tfjs-layers',
      inputShape: [28, 28, 1],
      numClasses: 10,
      datasetId,
      trainingRunId: runId,
      parameterCount: trained.parameterCount,
    });
    expect(modelSpecOf(imported).layers?.inputRange).toEqual([0, 1]);

    // The same images through an attack run on each model: identical clean predictions.
    const dataset = store.datasets.get(datasetId);
    const indices = splitIndices(dataset, 'test').slice(0, 64);
    const attackOf = async (modelId: number) => {
      const attackRun = await complete(
        Promise.resolve(workbench.handlers['jobs.startAttack'](attackConfig(modelId, indices))),
      );
      return workbench.handlers['runs.attackResult']({ runId: attackRun });
    };
    const original = await attackOf(trainedId);
    const again = await attackOf(importedId);
    expect(again.cleanAccuracy).toBe(original.cleanAccuracy);
    expect(original.cleanAccuracy).toBeGreaterThan(0.5);
    expect(again.examples.map((e) => e.cleanTop5[0]?.label)).toEqual(
      original.examples.map((e) => e.cleanTop5[0]?.label),
    );
  }, 240_000);

  it('exports built-in and imported models as .npz + architecture JSON', async () => {
    for (const modelId of [trainedId, importedId]) {
      const folder = join(home, `npz-${modelId}`);
      const runId = await complete(
        Promise.resolve(workbench.handlers['jobs.exportModel']({ modelId, format: 'npz', folder })),
      );
      expect(readdirSync(folder).sort()).toEqual(['model.architecture.json', 'model.npz']);
      const { result } = await workbench.handlers['runs.modelTransferResult']({ runId });
      expect(result.kind === 'export' && result.files.length).toBe(2);
    }
  }, 120_000);

  it('writes beside the target and moves into place: a killed export’s leftovers do not block a retry', async () => {
    const folder = join(home, 'npz-after-kill');
    // What a model export killed mid-write by an earlier process (long gone) left behind.
    const leftover = join(home, '.npz-after-kill.partial-999999');
    mkdirSync(leftover);
    writeFileSync(join(leftover, 'model.npz'), 'half a file');
    await complete(
      Promise.resolve(
        workbench.handlers['jobs.exportModel']({ modelId: trainedId, format: 'npz', folder }),
      ),
    );
    expect(readdirSync(folder).sort()).toEqual(['model.architecture.json', 'model.npz']);
    expect(readdirSync(home).filter((entry) => entry.includes('.partial-'))).toEqual([]);
  }, 120_000);

  it('refuses a non-empty folder and a dataset of other images, writing nothing', () => {
    const store = workbench.projects.requireCurrent();
    const runsBefore = store.runs.list().length;
    const modelsBefore = store.models.list().length;
    const busy = mkdtempSync(join(tmpdir(), 'rfw-busy-'));
    writeFileSync(join(busy, 'notes.txt'), 'keep me');
    expect(() =>
      workbench.handlers['jobs.exportModel']({ modelId: trainedId, format: 'npz', folder: busy }),
    ).toThrow(/not empty/);
    expect(readdirSync(busy)).toEqual(['notes.txt']);

    const count = 4;
    const colour = store.datasets.insert({
      name: 'colour',
      imageShape: [8, 8, 3],
      classNames: Array.from({ length: 10 }, (_, i) => String(i)),
      source: 'test',
      split: { method: 'given', seed: 0, train: 2, test: 2 },
      pixels: new Uint8Array(count * 8 * 8 * 3),
      labels: Int32Array.from([0, 1, 2, 3]),
      splits: Uint8Array.from([0, 0, 1, 1]),
    });
    expect(() =>
      workbench.handlers['jobs.importModel']({
        format: 'tfjs-layers',
        path: join(layersFolder, 'model.json'),
        datasetId: colour,
        inputRange: [0, 1],
      }),
    ).toThrow(/takes inputs \[28, 28, 1\], but dataset "colour" has images \[8, 8, 3\]/);
    expect(() =>
      workbench.handlers['jobs.importModel']({
        format: 'tfjs-layers',
        path: join(home, 'missing', 'model.json'),
        datasetId,
        inputRange: [0, 1],
      }),
    ).toThrow(/cannot be read/);
    expect(store.runs.list().length).toBe(runsBefore);
    expect(store.models.list().length).toBe(modelsBefore);
  });
});
