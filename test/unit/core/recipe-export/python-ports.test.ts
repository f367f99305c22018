/**
 * The exported train.py's ports of the workbench's seeded generators, data split, augmentation
 * and learning-rate schedule give exactly the TypeScript's values: the Python sections are run
 * as they are written into train.py, on inputs that cover negative and large seeds, string and
 * number labels, every schedule kind.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { dataPython } from '../../../../src-main/core/recipe-export/python-data';
import { optimizationPython } from '../../../../src-main/core/recipe-export/python-optimization';
import { seededRandomPython } from '../../../../src-main/core/recipe-export/python-seeded-random';
import type { LearningRateSchedule } from '../../../../src-main/common/training-schemas';
import { augmentationDraws, cropAndFlip } from '../../../../src-main/engine/training/augmentation';
import { splitTrainingData } from '../../../../src-main/engine/training/data-split';
import { learningRateAt } from '../../../../src-main/engine/training/learning-rate-schedule';
import {
  deriveSeed,
  mulberry32,
  range,
  seededPermutation,
} from '../../../../src-main/engine/random/seeded-random';
import { missingPythonModules, python } from '../../python-oracle';

const missing = missingPythonModules(['numpy', 'torch']);

const seeds = [0, 1, 5, -3, 2 ** 31 + 7, 2 ** 40 + 12345, -(2 ** 35)];
const labels: (number | string)[][] = [[], ['weights'], ['epoch', 3], ['augment', 2, 17], [-1]];
const schedules: LearningRateSchedule[] = [
  { kind: 'constant' },
  { kind: 'step', gamma: 0.1, milestones: [1, 3] },
  { kind: 'cosine', floor: 0.001 },
  { kind: 'one-cycle', peakFraction: 0.3 },
];
const run = { learningRate: 0.1, batchesPerEpoch: 7, totalBatches: 35 };
const image = Float32Array.from({ length: 3 * 6 * 5 * 2 }, (_, i) => ((i * 37) % 101) / 100);

function pythonValues(): Record<string, unknown> {
  const script = `
import json, math
import numpy as np
import torch
from torch.utils.data.distributed import DistributedSampler
${seededRandomPython}
${dataPython}
${optimizationPython}
seeds = ${JSON.stringify(seeds)}
labels = ${JSON.stringify(labels)}
schedules = ${JSON.stringify(schedules)}
draw = mulberry32(99)
image = np.array(${JSON.stringify(Array.from(image))}, dtype=np.float32).reshape(3, 6, 5, 2)
draws = augmentation_draws(3, 11, 2, 5)
training, validation = split_training_data(200, 9, 60, {'size': 0.15})
print(json.dumps({
  'seeds': [[derive_seed(s, *parts) for parts in labels] for s in seeds],
  'uniform': [draw() for _ in range(5)],
  'permutation': seeded_permutation(range(40), 1234).tolist(),
  'split': [training.tolist(), validation.tolist()],
  'draws': [[dy, dx, flip] for dy, dx, flip in draws],
  'cropped': crop_and_flip(image, draws).flatten().tolist(),
  'rates': [[learning_rate_at(s, ${run.learningRate}, ${run.batchesPerEpoch}, ${run.totalBatches}, step)
             for step in range(${run.totalBatches})] for s in schedules],
}))
`;
  const result = spawnSync(python, ['-c', script], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`python failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

describe.skipIf(missing !== null)("train.py's ports of the workbench's seeded parts", () => {
  it('give the TypeScript values exactly', () => {
    const values = pythonValues();
    expect(values['seeds']).toEqual(
      seeds.map((s) => labels.map((parts) => deriveSeed(s, ...parts))),
    );
    const draw = mulberry32(99);
    expect(values['uniform']).toEqual(Array.from({ length: 5 }, () => draw()));
    expect(values['permutation']).toEqual(Array.from(seededPermutation(range(40), 1234)));
    const split = splitTrainingData(200, 9, 60, { size: 0.15, everyEpochs: 1, attack: null });
    expect(values['split']).toEqual([Array.from(split.training), Array.from(split.validation)]);
    const draws = augmentationDraws(3, 11, 2, 5);
    expect(values['draws']).toEqual(draws.map((d) => [d.dy, d.dx, d.flip]));
    expect(values['cropped']).toEqual(Array.from(cropAndFlip(image, [3, 6, 5, 2], draws)));
    const rates = schedules.map((schedule) =>
      Array.from({ length: run.totalBatches }, (_, step) => learningRateAt(schedule, run, step)),
    );
    const got = values['rates'] as number[][];
    rates.forEach((row, k) =>
      row.forEach((rate, step) => expect(got[k]?.[step]).toBeCloseTo(rate, 14)),
    );
  });
});
