/**
 * `rfw export`: a dataset (constructed ones included) as .npy arrays or PNG folders, or, with
 * --model, a model as .npz weights + architecture JSON, as a TensorFlow.js layers model, or as
 * ONNX (model.onnx + README.txt: NCHW images in [0,1] → logits, for onnxruntime and PyTorch; a
 * model imported from ONNX exports as ONNX only: the imported graph written back with its weights),
 * or, with --run, an attack's or evaluation's per-example results (CSV and/or .npy tables, the
 * adversarial images as .npy, run.json), or, with --recipe or --training-config, a training recipe
 * as a PyTorch DDP folder (recipe-export.ts).
 */
import { datasetExportDefaults } from '../../../common/dataset-defaults';
import { runResultsExportDefaults } from '../../../common/run-results-schemas';
import type { CliArguments } from '../cli-arguments';
import type { CliCommand, CliSession } from '../cli-session';
import { ranges } from '../option-ranges';
import { exportRecipe, wantsRecipe } from './recipe-export';

/** The dataset export the options describe (exported for the test that the UI starts from it). */
export function datasetExportRequest(args: CliArguments) {
  return {
    datasetId: args.requiredNumber('dataset', ranges.id, 'ID'),
    format: args.string('format', datasetExportDefaults.format),
    folder: args.string('to', ''),
    labelDtype: args.string('label-dtype', datasetExportDefaults.labelDtype),
    // A constructed dataset's copy of the original test images, which it leaves out by default.
    withOriginalTest: args.flag('with-original-test') || datasetExportDefaults.withOriginalTest,
  };
}

async function exportDataset(session: CliSession): Promise<number> {
  const args = session.args;
  const request = datasetExportRequest(args);
  args.rejectUnknown();
  const started = await session.call('datasets.export', request);
  const end = await session.followTask(started.taskId);
  session.result(end, () =>
    end.result
      ? [end.result.summary, ...end.result.notes.map((n) => `note: ${n}`)]
      : [`export ${end.state}`],
  );
  return end.state === 'completed' ? 0 : 1;
}

/** An engine job with a run row (kind 'export'); prints the files written. */
async function exportModel(session: CliSession, modelId: number): Promise<number> {
  const args = session.args;
  const request = {
    modelId,
    format: args.string('format', ''),
    folder: args.string('to', ''),
  };
  args.rejectUnknown();
  const started = await session.call('jobs.exportModel', request);
  const state = await session.followRun(started, 'model export');
  if (state !== 'completed') {
    session.result({ runId: started.runId, state, files: [] }, () => [`model export ${state}`]);
    return 1;
  }
  const { result } = await session.call('runs.modelTransferResult', { runId: started.runId });
  if (result.kind !== 'export') throw new Error(`run ${started.runId} is not a model export`);
  session.result(
    { runId: started.runId, state, folder: result.folder, files: result.files },
    () => [
      `model ${result.modelId} exported as ${result.format} to ${result.folder}:`,
      ...result.files.map((file) => `  ${file}`),
    ],
  );
  return 0;
}

/** A run's per-example results; prints the files written. */
async function exportRun(session: CliSession, runId: number): Promise<number> {
  const args = session.args;
  const request = {
    runId,
    folder: args.string('to', ''),
    format: args.string('format', runResultsExportDefaults.format),
  };
  args.rejectUnknown();
  const exported = await session.call('runs.exportResults', request);
  session.result(exported, () => [exported.summary, ...exported.files.map((file) => `  ${file}`)]);
  return 0;
}

export const exportCommand: CliCommand = {
  name: 'export',
  usage: [
    '--dataset ID --format npy|png --to DIR [--label-dtype int64|int32] [--with-original-test]',
    '               | --model ID --format npz|tfjs-layers|onnx --to DIR   (a model imported from ONNX: onnx only)',
    '               | --run ID --to DIR [--format csv|npy|both]   (an attack or evaluation)',
    '               | --recipe RUN|--training-config FILE --format pytorch --to DIR',
  ].join('\n'),
  opensProject: true,
  readOnly: true,
  needsProject: true,
  async run(session) {
    const runId = session.args.number('run', ranges.id);
    if (runId !== undefined) return exportRun(session, runId);
    if (wantsRecipe(session)) return exportRecipe(session);
    const modelId = session.args.number('model', ranges.id);
    return modelId === undefined ? exportDataset(session) : exportModel(session, modelId);
  },
};
