/**
 * Runs and models can be renamed; a model can be deleted, with the runs that used it named first
 * and kept (their model reference cleared); two models never share a name (issue 12 §16).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { methods } from '../../../src-main/common/contract';
import type { NewModel } from '../../../src-main/db/repositories/model-repository';
import type { ProjectStore } from '../../../src-main/db/project-store';
import { Workbench } from '../../../src-main/core/workbench';

describe('renaming and deleting runs and models', () => {
  let workbench: Workbench;
  let store: ProjectStore;
  let model: (name: string) => number;

  beforeEach(() => {
    const home = mkdtempSync(join(tmpdir(), 'rfw-rename-'));
    workbench = new Workbench({
      homeDir: home,
      // No job runs here: the engine worker is never started.
      engineWorkerPath: join(home, 'no-engine.js'),
      forcedBackend: null,
      shell: 'cli',
      version: 'test',
      sqliteNativeBinding: null,
      engineWorkers: 1,
    });
    workbench.handlers['projects.create']({ path: join(home, 'p.rfw'), name: 'P' });
    store = workbench.projects.requireCurrent();
    const datasetId = store.datasets.insert({
      name: 'd',
      imageShape: [2, 2, 1],
      classNames: ['a', 'b'],
      source: 'test',
      split: { method: 'test', seed: 1, train: 1, test: 1 },
      pixels: new Uint8Array(8),
      labels: Int32Array.from([0, 1]),
      splits: Uint8Array.from([0, 1]),
    });
    const base: Omit<NewModel, 'name'> = {
      architecture: 'mlp',
      inputShape: [2, 2, 1],
      numClasses: 2,
      datasetId,
      trainingRunId: null,
      robust: false,
      parameterCount: 0,
      testAccuracy: null,
      weights: [],
    };
    model = (name) => store.models.insert({ ...base, name });
  });

  it('checks names at the contract: trimmed, not empty, at most 120 characters', () => {
    const rename = methods['runs.rename'].input;
    expect(rename.parse({ runId: 1, name: '  robust sweep  ' }).name).toBe('robust sweep');
    expect(rename.safeParse({ runId: 1, name: '   ' }).error?.issues[0]?.message).toBe(
      'a name cannot be empty',
    );
    expect(rename.safeParse({ runId: 1, name: 'x'.repeat(121) }).error?.issues[0]?.message).toBe(
      'a name is at most 120 characters',
    );
    expect(methods['models.rename'].input.safeParse({ modelId: 1, name: '' }).success).toBe(false);
  });

  it('renames a run and a model, and refuses a model name another model has', async () => {
    const runId = store.runs.insert({
      kind: 'attack',
      name: 'PGD',
      config: {},
      seed: 0,
      modelId: null,
    });
    expect((await workbench.handlers['runs.rename']({ runId, name: 'first sweep' })).name).toBe(
      'first sweep',
    );
    expect(store.runs.get(runId).name).toBe('first sweep');
    const a = model('cnn');
    model('other');
    expect((await workbench.handlers['models.rename']({ modelId: a, name: 'cnn v2' })).name).toBe(
      'cnn v2',
    );
    expect(() => workbench.handlers['models.rename']({ modelId: a, name: 'other' })).toThrow(
      'a model named "other" already exists',
    );
    // Its own name again is no clash.
    expect((await workbench.handlers['models.rename']({ modelId: a, name: 'cnn v2' })).name).toBe(
      'cnn v2',
    );
  });

  it('gives a new model with a taken name a free one: "name (2)", "name (3)"', () => {
    const ids = [model('cnn'), model('cnn'), model('cnn')];
    expect(ids.map((id) => store.models.get(id).name)).toEqual(['cnn', 'cnn (2)', 'cnn (3)']);
  });

  it('names the runs that used a model, deletes it, and keeps those runs', () => {
    const cnn = model('cnn');
    const other = model('other');
    const run = (
      kind: 'train' | 'attack' | 'features' | 'evaluation',
      config: unknown,
      modelId: number | null = null,
    ) => store.runs.insert({ kind, name: `${kind} run`, config, seed: 0, modelId });
    const trained = run('train', { modelName: 'cnn' }, cnn);
    const attacked = run('attack', { modelId: cnn, datasetId: 1 }, cnn);
    const viewed = run('features', { modelIds: [other, cnn] });
    const transfer = run('evaluation', { modelId: other, transferModelId: cnn });
    run('attack', { modelId: other }, other);
    store.notes.set('model', cnn, 'a note on cnn');
    expect(workbench.handlers['models.dependents']({ modelId: cnn })).toEqual([
      { id: trained, kind: 'train', name: 'train run' },
      { id: attacked, kind: 'attack', name: 'attack run' },
      { id: viewed, kind: 'features', name: 'features run' },
      { id: transfer, kind: 'evaluation', name: 'evaluation run' },
    ]);
    workbench.handlers['models.delete']({ modelId: cnn });
    expect(store.models.list().map((m) => m.name)).toEqual(['other']);
    expect(store.runs.list()).toHaveLength(5);
    expect(store.runs.get(attacked)).toMatchObject({ modelId: null, config: { modelId: cnn } });
    expect(store.notes.get('model', cnn)).toBeNull();
    expect(() => workbench.handlers['models.delete']({ modelId: cnn })).toThrow(
      `there is no model ${cnn} in this project`,
    );
  });
});
