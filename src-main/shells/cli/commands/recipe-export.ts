/**
 * `rfw export --recipe RUN | --training-config FILE --format pytorch --to DIR`: a training
 * recipe as a folder that PyTorch's DistributedDataParallel trains (issue 16). An engine job
 * with a run row; prints the files of the folder it wrote.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { CliSession } from '../cli-session';
import { ranges } from '../option-ranges';

/** The JSON of a TrainingConfig file; the contract checks its fields. */
function readTrainingConfig(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the training config ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`the training config ${file} is not JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** Every file under `folder`, relative to it, sorted. */
function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)))
    .sort();
}

export function wantsRecipe(session: CliSession): boolean {
  return (
    session.args.string('recipe') !== undefined ||
    session.args.string('training-config') !== undefined
  );
}

export async function exportRecipe(session: CliSession): Promise<number> {
  const args = session.args;
  const runId = args.number('recipe', ranges.id);
  const configFile = args.string('training-config');
  const request = {
    ...(runId === undefined ? {} : { runId }),
    ...(configFile === undefined ? {} : { trainingConfig: readTrainingConfig(configFile) }),
    format: args.string('format', ''),
    folder: args.string('to', ''),
  };
  args.rejectUnknown();
  const started = await session.call('jobs.exportRecipe', request);
  const state = await session.followRun(started, 'recipe export');
  const folder = resolve(request.folder);
  const files = state === 'completed' ? filesUnder(folder) : [];
  session.result({ runId: started.runId, state, folder, files }, () =>
    state === 'completed'
      ? [`recipe exported as ${request.format} to ${folder}:`, ...files.map((file) => `  ${file}`)]
      : [`recipe export ${state}`],
  );
  return state === 'completed' ? 0 : 1;
}
