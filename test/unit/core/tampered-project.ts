/**
 * A project file as someone else might hand it over: built by the workbench (two datasets, two
 * models, two completed attacks, a training run with a checkpoint, a features run and a saved
 * display), closed, and then one of its JSON columns rewritten with better-sqlite3 directly,
 * the way a damaged or hostile file would hold it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { AttackConfig, StoredAttackResult } from '../../../src-main/common/attack-schemas';
import { Workbench } from '../../../src-main/core/workbench';
import type { NewModel } from '../../../src-main/db/repositories/model-repository';

export interface TamperedProject {
  path: string;
  home: string;
  datasets: { good: number; bad: number };
  models: { good: number; bad: number };
  /** Completed attack runs; `bad` is the one the tests tamper with. */
  attacks: { good: number; bad: number };
  training: number;
  features: number;
  checkpointArtifact: number;
}

/** A Workbench that never starts its engine (no job runs in these tests). */
export function engineFreeWorkbench(home: string): Workbench {
  return new Workbench({
    homeDir: home,
    engineWorkerPath: join(home, 'no-engine.js'),
    forcedBackend: null,
    shell: 'cli',
    version: 'test',
    sqliteNativeBinding: null,
    engineWorkers: 1,
  });
}

export function attackConfig(modelId: number, datasetId: number): AttackConfig {
  return {
    modelId,
    datasetId,
    indices: [0],
    indexSpace: 'test',
    method: 'pgd',
    perturbation: { constraint: 'linf', epsilon: 0.3, steps: 2, stepSize: 0.1, randomStart: false },
    restarts: 1,
    targetClass: null,
    seed: 0,
    loss: 'cross-entropy',
    apgdTargets: 9,
    fabTargets: 9,
    squareQueries: 5000,
    squareInitialFraction: 0.8,
  };
}

/** Builds the project, closes it, and returns where everything is. */
export function buildProject(): TamperedProject {
  const home = mkdtempSync(join(tmpdir(), 'rfw-tampered-'));
  const path = join(home, 'shared.rfw');
  const workbench = engineFreeWorkbench(home);
  workbench.handlers['projects.create']({ path, name: 'from someone else' });
  const store = workbench.projects.requireCurrent();
  const dataset = (name: string) =>
    store.datasets.insert({
      name,
      imageShape: [2, 2, 1],
      classNames: ['a', 'b'],
      source: 'test',
      split: { method: 'test', seed: 1, train: 1, test: 1 },
      pixels: new Uint8Array(8),
      labels: Int32Array.from([0, 1]),
      splits: Uint8Array.from([0, 1]),
    });
  const datasets = { good: dataset('good data'), bad: dataset('bad data') };
  const model = (name: string, datasetId: number) => {
    const base: NewModel = {
      name,
      architecture: 'mlp',
      inputShape: [2, 2, 1],
      numClasses: 2,
      datasetId,
      trainingRunId: null,
      robust: false,
      parameterCount: 6,
      testAccuracy: 0.5,
      weights: [{ name: 'w', shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) }],
    };
    return store.models.insert(base);
  };
  const models = {
    good: model('good model', datasets.good),
    bad: model('bad model', datasets.good),
  };
  const attack = (name: string) => {
    const config = attackConfig(models.good, datasets.good);
    const runId = store.runs.insert({ kind: 'attack', name, config, seed: 0, modelId: null });
    const result: StoredAttackResult = {
      config,
      cleanAccuracy: 1,
      robustAccuracy: 0.5,
      lossPerStep: [0.1, 0.4, 0.9],
      examples: [],
    };
    store.runs.finish(runId, 'completed', { result });
    return runId;
  };
  const attacks = { good: attack('good attack'), bad: attack('bad attack') };
  const training = store.runs.insert({
    kind: 'train',
    name: 'interrupted training',
    config: { modelName: 'm' },
    seed: 0,
    modelId: null,
  });
  store.runs.finish(training, 'cancelled');
  const checkpointArtifact = store.artifacts.insert({
    runId: training,
    kind: 'checkpoint',
    shape: [1],
    data: Float32Array.from([1]),
    meta: { role: 'latest', epoch: 1 },
  });
  const features = store.runs.insert({
    kind: 'features',
    name: 'saliency',
    config: {},
    seed: 0,
    modelId: null,
  });
  store.runs.finish(features, 'completed', { result: { panels: [] } });
  store.displays.set(attacks.bad, { colormap: 'viridis', opacity: 0.5 });
  workbench.handlers['projects.close']({});
  void workbench.dispose();
  return { path, home, datasets, models, attacks, training, features, checkpointArtifact };
}

/** Writes `value` into one column of one row, as a file edited outside the workbench would. */
export function tamper(
  path: string,
  table: 'runs' | 'models' | 'datasets' | 'artifacts' | 'run_displays',
  column: string,
  id: number,
  value: unknown,
): void {
  const db = new Database(path);
  try {
    const key = table === 'run_displays' ? 'run_id' : 'id';
    const { changes } = db
      .prepare(`UPDATE ${table} SET ${column} = ? WHERE ${key} = ?`)
      .run(value, id);
    if (changes !== 1) throw new Error(`no ${table} row ${id} to tamper with`);
  } finally {
    db.close();
  }
}
