/**
 * A saved model attacked with images of another shape: refused when the job is defined, with a
 * message naming both shapes, before a run row is written. Another dataset of the same shape is
 * fine (the model only needs images it can take).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AttackConfig } from '../../../src-main/common/attack-schemas';
import { defineAttackJob } from '../../../src-main/core/attack-job';
import { createProjectDatabase } from '../../../src-main/db/project-database';
import { ProjectStore } from '../../../src-main/db/project-store';

function addDataset(store: ProjectStore, name: string, shape: [number, number, number]): number {
  const count = 4;
  const size = shape[0] * shape[1] * shape[2];
  return store.datasets.insert({
    name,
    imageShape: shape,
    classNames: ['a', 'b'],
    source: 'test',
    split: { method: 'test', seed: 1, train: 2, test: 2 },
    pixels: new Uint8Array(count * size),
    labels: Int32Array.from([0, 1, 0, 1]),
    splits: Uint8Array.from([0, 0, 1, 1]),
  });
}

describe('attack job shape check', () => {
  let store: ProjectStore;
  let modelId: number;
  const attack = (datasetId: number): AttackConfig => ({
    modelId,
    datasetId,
    indices: [2, 3],
    method: 'fgsm',
    perturbation: { constraint: 'linf', epsilon: 0.1, steps: 1, stepSize: 0.1, randomStart: false },
    restarts: 1,
    targetClass: null,
    seed: 1,
  });

  beforeEach(() => {
    const path = join(mkdtempSync(join(tmpdir(), 'rfw-shape-')), 'p.rfw');
    store = new ProjectStore(path, createProjectDatabase(path, 'P'));
    const trainedOn = addDataset(store, 'gray', [8, 8, 1]);
    modelId = store.models.insert({
      name: 'gray model',
      architecture: 'cifar-cnn',
      inputShape: [8, 8, 1],
      numClasses: 2,
      datasetId: trainedOn,
      trainingRunId: null,
      robust: false,
      parameterCount: 0,
      testAccuracy: null,
      weights: [],
    });
  });

  it('refuses a dataset of another shape, naming both shapes, and writes no run', () => {
    const color = addDataset(store, 'color', [8, 8, 3]);
    expect(() => defineAttackJob(store, attack(color), 1)).toThrow(
      'model "gray model" takes 8×8×1 images but dataset "color" has 8×8×3',
    );
    const larger = addDataset(store, 'larger', [16, 16, 1]);
    expect(() => defineAttackJob(store, attack(larger), 1)).toThrow(/takes 8×8×1 .* has 16×16×1/);
    expect(store.runs.list()).toEqual([]);
  });

  it('accepts another dataset of the same shape', () => {
    const other = addDataset(store, 'other gray', [8, 8, 1]);
    const job = defineAttackJob(store, attack(other), 1);
    expect(store.runs.get(job.runId).kind).toBe('attack');
  });
});
