import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createProjectDatabase } from '../../../src-main/db/project-database';
import { ProjectStore } from '../../../src-main/db/project-store';
import {
  CHECKPOINT_KIND,
  loadCheckpoint,
  saveCheckpoint,
} from '../../../src-main/core/training-checkpoints';
import { defineTrainingJob, defineTrainingResume } from '../../../src-main/core/training-job';
import type { TrainJobSpec } from '../../../src-main/engine/protocol';
import type { TrainingCheckpoint } from '../../../src-main/engine/engine-types';

const tensor = (name: string, values: number[]) => ({
  name,
  shape: [values.length],
  data: Float32Array.from(values),
});

function checkpoint(epoch: number, bestEpoch: number | null): TrainingCheckpoint {
  return {
    epoch,
    step: epoch * 3,
    weights: [tensor('conv.weight', [epoch, 2, 3]), tensor('conv.bias', [0.5, epoch / 3])],
    optimizer: {
      name: 'adam',
      iterations: epoch * 3,
      slots: [
        tensor('0.m', [1, epoch]),
        tensor('0.v', [2, 2]),
        tensor('1.m', [3]),
        tensor('1.v', [4]),
      ],
    },
    best:
      bestEpoch === null
        ? null
        : {
            epoch: bestEpoch,
            score: bestEpoch / 10,
            testAccuracy: 0.5,
            weights: [tensor('conv.weight', [bestEpoch])],
          },
    testAccuracy: 0.25 * epoch,
  };
}

const artifactCount = (store: ProjectStore, runId: number): number =>
  (
    store.db
      .prepare('SELECT COUNT(*) AS n FROM artifacts WHERE run_id = ? AND kind = ?')
      .get(runId, CHECKPOINT_KIND) as {
      n: number;
    }
  ).n;

describe('training checkpoints in the project', () => {
  let store: ProjectStore;
  let datasetId: number;
  beforeEach(() => {
    const path = join(mkdtempSync(join(tmpdir(), 'rfw-checkpoint-')), 'p.rfw');
    store = new ProjectStore(path, createProjectDatabase(path, 'P'));
    const count = 12;
    datasetId = store.datasets.insert({
      name: 'tiny',
      imageShape: [28, 28, 1],
      classNames: ['a', 'b'],
      source: 'test',
      split: { method: 'test', seed: 1, train: 8, test: 4 },
      pixels: new Uint8Array(count * 28 * 28),
      labels: Int32Array.from({ length: count }, (_, i) => i % 2),
      splits: Uint8Array.from({ length: count }, (_, i) => (i >= 8 ? 1 : 0)),
    });
  });

  const runOf = (config: Record<string, unknown>) =>
    store.runs.insert({ kind: 'train', name: 'm', config, seed: 0, modelId: null });

  it('keeps only the latest checkpoint and the best, and reads them back exactly', () => {
    const runId = runOf({});
    expect(loadCheckpoint(store, runId)).toBeNull();
    saveCheckpoint(store, runId, checkpoint(1, 1));
    saveCheckpoint(store, runId, checkpoint(2, 1));
    expect(artifactCount(store, runId)).toBe(2);
    saveCheckpoint(store, runId, checkpoint(3, 3));
    expect(artifactCount(store, runId)).toBe(2);
    expect(loadCheckpoint(store, runId)).toEqual(checkpoint(3, 3));
    const without = runOf({});
    saveCheckpoint(store, without, checkpoint(1, null));
    expect(artifactCount(store, without)).toBe(1);
    expect(loadCheckpoint(store, without)).toEqual(checkpoint(1, null));
  });

  it('resumes an interrupted run: its stored config with defaults, from its checkpoint', () => {
    // A config saved before the newer fields existed.
    const oldConfig = {
      datasetId,
      modelName: 'old',
      architecture: 'small-cnn',
      epochs: 3,
      batchSize: 4,
      learningRate: 0.01,
      optimizer: 'adam',
      seed: 1,
      trainLimit: null,
      adversarial: null,
    };
    const runId = runOf(oldConfig);
    expect(() => defineTrainingResume(store, runId)).toThrow(
      /run \d+ is queued; only an interrupted, cancelled or failed run can be resumed/,
    );
    store.runs.markInterrupted();
    expect(() => defineTrainingResume(store, runId)).toThrow(
      /has no checkpoint to resume from: it stopped before its first epoch ended/,
    );
    saveCheckpoint(store, runId, checkpoint(1, null));
    store.metrics.record(runId, 3, { 'test.accuracy': 0.5 });
    store.metrics.record(runId, 4, { 'train.loss': 1 });
    const definition = defineTrainingResume(store, runId);
    expect(definition.runId).toBe(runId);
    expect(store.metrics.forRun(runId).map((m) => m.step)).toEqual([3]);
    const prepared = definition.prepare();
    const spec = ('spec' in prepared ? prepared.spec : null) as TrainJobSpec;
    expect(spec.resume).toEqual(checkpoint(1, null));
    expect(spec.config).toMatchObject({
      ...oldConfig,
      epsilonWarmupEpochs: 0,
      adversarialLoss: 'pgd',
      learningRateSchedule: { kind: 'constant' },
      validation: null,
    });
    const attack = store.runs.insert({
      kind: 'attack',
      name: 'a',
      config: {},
      seed: 0,
      modelId: null,
    });
    expect(() => defineTrainingResume(store, attack)).toThrow(
      /is a attack run, not a training run/,
    );
  });

  it('stores the best and the final model on completion and drops the checkpoints', () => {
    const definition = defineTrainingJob(store, {
      datasetId,
      modelName: 'net',
      architecture: 'small-cnn',
      epochs: 3,
      batchSize: 4,
      learningRate: 0.01,
      optimizer: 'adam',
      seed: 1,
      trainLimit: null,
      adversarial: null,
      epsilonWarmupEpochs: 0,
      adversarialLoss: 'pgd',
      tradesBeta: 6,
      learningRateSchedule: { kind: 'constant' },
      augmentation: 'auto',
      validation: { size: 2, everyEpochs: 1, attack: null },
      saveFinalModel: true,
    });
    definition.onCheckpoint?.(checkpoint(1, 1));
    expect(artifactCount(store, definition.runId)).toBe(2);
    definition.onCompleted({
      kind: 'train',
      weights: [tensor('conv.weight', [1])],
      parameterCount: 1,
      testAccuracy: 0.7,
      bestEpoch: 2,
      final: { weights: [tensor('conv.weight', [3])], testAccuracy: 0.6 },
      augmented: false,
    });
    expect(artifactCount(store, definition.runId)).toBe(0);
    const models = store.models.list().filter((m) => m.trainingRunId === definition.runId);
    expect(
      models
        .map((m) => [m.name, m.testAccuracy])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    ).toEqual([
      ['net', 0.7],
      ['net (final epoch)', 0.6],
    ]);
    const run = store.runs.get(definition.runId);
    expect(run.status).toBe('completed');
    expect(run.result).toMatchObject({ bestEpoch: 2, finalTestAccuracy: 0.6, augmented: false });
  });
});
