/**
 * Model export and import as project runs, on the real engine worker (out/main/engine-worker.js,
 * built by `npx electron-vite build`, which `npm test` runs first): a trained model exported as a
 * TensorFlow.js layers model and imported back is the same classifier (same clean predictions
 * under an attack run), both kinds of model export as .npz, and requests that cannot succeed
 * (a non-empty folder, a dataset of other images) are refused before anything is written.
 */
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttackConfig, TrainingConfig } from '../../../src-main/common/schemas';
import { modelSpecOf } from '../../../src-main/core/model-spec';
import { splitIndices } from '../../../src-main/core/training-job';
import { Workbench } from '../../../src-main/core/workbench';

const workerPath = resolve('out/main/engine-worker.js');

describe('model import and export on the real engine worker', () => {
  let workbench: Workbench;
  let home: string;
  let datasetId: number;
  let trainedId: number;
  let importedId: number;
  let layersFolder: string;
  const finished = new Map<string, (end: { state: string; error: string | null }) => void>();

  /** Starts a job and resolves with its run id once it completed. */
  async function complete(start: Promise<{ jobId: string; runId: number }>): Promise<number> {
    const started = await start;
    const end = await new Promise<{ state: string; error: string | null }>((done) =>
      finished.set(started.jobId, done),
    );
    expect(end).toEqual({ state: 'completed', error: null });
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
    if (!existsSync(workerPath))
      throw new Error(`${workerPath} is missing: run \`npx electron-vite build\` first`);
    home = mkdtempSync(join(tmpdir(), 'rfw-model-io-'));
    workbench = new Workbench({
      homeDir: home,
      engineWorkerPath: workerPath,
      forcedBackend: null,
      shell: 'cli',
      version: 'test',
      sqliteNativeBinding: null,
      engineWorkers: 1,
    });
    workbench.subscribe((event, payload) => {
      if (event !== 'job.finished') return;
      const { jobId, state, error } = payload as {
        jobId: string;
        state: string;
        error: string | null;
      };
      finished.get(jobId)?.({ state, error });
    });
    workbench.projects.openDemo();
    datasetId = workbench.projects.requireCurrent().datasets.list()[0]?.id ?? 0;
    const runId = await complete(
      Promise.resolve(
        workbench.handlers['jobs.startTraining'](
          TrainingConfig.parse({
            datasetId,
            modelName: 'tiny',
            architecture: 'small-cnn',
            epochs: 1,
            batchSize: 32,
            learningRate: 0.002,
            optimizer: 'adam',
            seed: 1,
            trainLimit: 256,
            adversarial: null,
            validation: null,
          }),
        ),
      ),
    );
    const model = workbench.projects
      .requireCurrent()
      .models.list()
      .find((m) => m.trainingRunId === runId);
    if (!model) throw new Error('training left no model');
    trainedId = model.id;
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
