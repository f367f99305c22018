/**
 * A run summary says whether a training checkpoint exists (issue 12 §18: "Resume training" was
 * offered for a run that stopped before its first epoch ended, then failed). The UI offers
 * resuming only when it does.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { deleteCheckpoints, saveCheckpoint } from '../../../../src-main/core/training-checkpoints';
import { createProjectDatabase } from '../../../../src-main/db/project-database';
import { ProjectStore } from '../../../../src-main/db/project-store';

const tensor = (name: string, values: number[]) => ({
  name,
  shape: [values.length],
  data: Float32Array.from(values),
});

describe('run summaries and checkpoints', () => {
  let store: ProjectStore;
  beforeEach(() => {
    const path = join(mkdtempSync(join(tmpdir(), 'rfw-has-checkpoint-')), 'p.rfw');
    store = new ProjectStore(path, createProjectDatabase(path, 'P'));
  });
  const train = () =>
    store.runs.insert({ kind: 'train', name: 'm', config: {}, seed: 0, modelId: null });

  it('says a run has a checkpoint only once its first epoch-end checkpoint is stored', () => {
    const early = train();
    const later = train();
    store.runs.finish(early, 'cancelled');
    saveCheckpoint(store, later, {
      epoch: 1,
      step: 3,
      weights: [tensor('w', [1, 2])],
      optimizer: { name: 'sgd', iterations: 3, slots: [] },
      best: null,
      testAccuracy: 0.5,
    });
    store.runs.finish(later, 'cancelled');
    expect(store.runs.get(early).hasCheckpoint).toBe(false);
    expect(store.runs.get(later).hasCheckpoint).toBe(true);
    const listed = new Map(store.runs.list().map((run) => [run.id, run.hasCheckpoint]));
    expect(listed).toEqual(
      new Map([
        [early, false],
        [later, true],
      ]),
    );
    deleteCheckpoints(store, later);
    expect(store.runs.get(later).hasCheckpoint).toBe(false);
  });
});
