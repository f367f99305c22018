/**
 * Attack images are chosen by their position in the test split (issue 12 §14: the form's
 * "Images (test split)" box used to send dataset positions, so 0, 1, 2, 3 were training images),
 * runs saved before keep their dataset-position meaning and have their training images flagged,
 * and each stored example records whether the model had it right before the attack (§15).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AttackConfig } from '../../../src-main/common/attack-schemas';
import { defineAttackJob, readAttackResult } from '../../../src-main/core/attack-job';
import { createProjectDatabase } from '../../../src-main/db/project-database';
import { ProjectStore } from '../../../src-main/db/project-store';
import type { AttackJobResult, AttackJobSpec } from '../../../src-main/engine/protocol';

// Six 2×2 gray images; image i has every pixel = i, so the pixels say which image was read.
// Splits: train, test, train, test, test, train → test positions 0, 1, 2 are images 1, 3, 4.
const splits = [0, 1, 0, 1, 1, 0];

describe('attack image indices', () => {
  let store: ProjectStore;
  let datasetId: number;
  let modelId: number;
  const attack = (patch: Partial<AttackConfig>): AttackConfig => ({
    modelId,
    datasetId,
    indices: [0, 2],
    method: 'fgsm',
    perturbation: { constraint: 'linf', epsilon: 0.1, steps: 1, stepSize: 0.1, randomStart: false },
    restarts: 1,
    targetClass: null,
    seed: 1,
    ...patch,
  });

  beforeEach(() => {
    const path = join(mkdtempSync(join(tmpdir(), 'rfw-indices-')), 'p.rfw');
    store = new ProjectStore(path, createProjectDatabase(path, 'P'));
    datasetId = store.datasets.insert({
      name: 'six',
      imageShape: [2, 2, 1],
      classNames: ['a', 'b'],
      source: 'test',
      split: { method: 'test', seed: 1, train: 3, test: 3 },
      pixels: Uint8Array.from({ length: 24 }, (_, p) => Math.floor(p / 4)),
      labels: Int32Array.from([0, 1, 0, 1, 0, 1]),
      splits: Uint8Array.from(splits),
    });
    modelId = store.models.insert({
      name: 'm',
      architecture: 'mlp',
      inputShape: [2, 2, 1],
      numClasses: 2,
      datasetId,
      trainingRunId: null,
      robust: false,
      parameterCount: 0,
      testAccuracy: null,
      weights: [],
    });
  });

  /** The images the engine would be sent, as the image number each one's pixels hold. */
  function imagesSent(config: AttackConfig): number[] {
    const prepared = defineAttackJob(store, config, 1).prepare();
    if (!('shards' in prepared)) throw new Error('an attack is prepared as shards');
    return prepared.shards.flatMap(({ spec }) => {
      const images = (spec as AttackJobSpec).images.data;
      return Array.from({ length: images.length / 4 }, (_, n) => images[n * 4] ?? -1);
    });
  }

  /** Completes the run as the engine would: image 0 correct and fooled, image 1 already wrong. */
  function complete(config: AttackConfig): number {
    const job = defineAttackJob(store, config, 1);
    const example = (cleanCorrect: boolean) => ({
      cleanTop5: [],
      adversarialTop5: [],
      cleanCorrect,
      success: true,
      linfNorm: 0.1,
      l2Norm: 0.2,
    });
    const result: AttackJobResult = {
      kind: 'attack',
      adversarial: new Float32Array(8),
      examples: [example(true), example(false)],
      lossPerStep: [],
      cleanAccuracy: 0.5,
      robustAccuracy: 0,
    };
    job.onCompleted(result);
    return job.runId;
  }

  it('reads test-split positions as the i-th test image', () => {
    expect(imagesSent(attack({ indexSpace: 'test' }))).toEqual([1, 4]);
  });

  it('refuses a test position past the split, naming its size, and writes no run', () => {
    expect(() => defineAttackJob(store, attack({ indexSpace: 'test', indices: [3] }), 1)).toThrow(
      'there is no test image 3: the test split of "six" has 3 images (0 to 2)',
    );
    expect(store.runs.list()).toEqual([]);
  });

  it('refuses an ε or step beyond what the threat model can mean on these images (issue 12 §13)', () => {
    const linf = { constraint: 'linf' as const, steps: 1, randomStart: false };
    expect(() =>
      defineAttackJob(
        store,
        attack({ perturbation: { ...linf, epsilon: 1e30, stepSize: 0.1 } }),
        1,
      ),
    ).toThrow(
      'ε = 1e+30 is more than 1, the largest L∞ ε that means anything here (pixels are in [0, 1])',
    );
    // 2×2×1 images: no two are further apart in L2 than √4 = 2.
    const l2 = { constraint: 'l2' as const, steps: 1, randomStart: false };
    expect(() =>
      defineAttackJob(store, attack({ perturbation: { ...l2, epsilon: 1, stepSize: 3 } }), 1),
    ).toThrow('step size = 3 is more than 2, the largest L2 step size that means anything here');
    expect(store.runs.list()).toEqual([]);
    expect(() =>
      defineAttackJob(store, attack({ perturbation: { ...l2, epsilon: 2, stepSize: 2 } }), 1),
    ).not.toThrow();
  });

  it('stores test runs with their positions and the clean correctness of each image', () => {
    const runId = complete(attack({ indexSpace: 'test' }));
    const result = readAttackResult(store, runId);
    expect(result.config.indexSpace).toBe('test');
    expect(result.examples.map((e) => [e.index, e.split, e.splitPosition, e.cleanCorrect])).toEqual(
      [
        [1, 'test', 0, true],
        [4, 'test', 2, false],
      ],
    );
  });

  it('keeps dataset positions for a config without indexSpace and flags its training images', () => {
    // A run saved before indexSpace existed: its config has no such field.
    expect(imagesSent(attack({}))).toEqual([0, 2]);
    const result = readAttackResult(store, complete(attack({})));
    expect(result.config.indexSpace).toBe('dataset');
    expect(result.examples.map((e) => [e.index, e.split, e.splitPosition])).toEqual([
      [0, 'train', 0],
      [2, 'train', 1],
    ]);
  });
});
