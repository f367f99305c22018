/**
 * Shared steps of the recipe-export tests: a project with the bundled MNIST (`rfw demo`), a
 * recipe exported through the built CLI, the exported train.py run by Debian's Python or
 * torchrun, and the .npy/.npz files read back.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainingConfig } from '../../../../src-main/common/training-schemas';
import { parseNpy } from '../../../../src-main/core/datasets/npy-reader';
import type { WeightTensor } from '../../../../src-main/engine/engine-types';
import { decodeNpz } from '../../../../src-main/engine/models/export/npz';
import { runCli, type CliRun } from '../../cli-process';
import { python } from '../../python-oracle';

export const torchrun = '/usr/bin/torchrun';

/** A recipe on the demo project's dataset 1 (bundled MNIST), with every field spelled out. */
export function recipeConfig(overrides: Partial<TrainingConfig>): TrainingConfig {
  return {
    datasetId: 1,
    modelName: 'recipe test',
    architecture: 'small-cnn',
    epochs: 1,
    batchSize: 32,
    learningRate: 0.001,
    optimizer: 'adam',
    seed: 5,
    trainLimit: 32,
    adversarial: null,
    epsilonWarmupEpochs: 0,
    adversarialLoss: 'pgd',
    tradesBeta: 6,
    learningRateSchedule: { kind: 'constant' },
    augmentation: 'auto',
    validation: null,
    saveFinalModel: false,
    ...overrides,
  };
}

/** `rfw export --training-config FILE --format pytorch --to folder`. */
export function exportRecipe(
  home: string,
  project: string,
  config: TrainingConfig,
  folder: string,
): Promise<CliRun> {
  const file = join(home, `${config.modelName.replace(/\W+/g, '-')}-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(config));
  return runCli(home, [
    ...['export', '--project', project, '--training-config', file],
    ...['--format', 'pytorch', '--to', folder, '--json'],
  ]);
}

/** Runs a command; throws with its output when it fails. */
export function check(command: string, args: string[], cwd: string): string {
  const run = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${run.status}): ${run.stderr || run.error?.message}`,
    );
  }
  return `${run.stdout}${run.stderr}`;
}

/** train.py in one process. */
export function runScript(folder: string, args: string[]): string {
  return check(python, ['train.py', '--threads', '2', ...args], folder);
}

export function readWeights(path: string): WeightTensor[] {
  const bytes = readFileSync(path);
  return decodeNpz(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

export function readNpy(path: string) {
  const bytes = readFileSync(path);
  return parseNpy(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}
