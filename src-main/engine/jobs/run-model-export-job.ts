/**
 * The 'model-export' job: writes a model's files into a new or empty folder, in the worker
 * (building the tfjs-layers model for a layers export is tensor work).
 *   npz          → model.npz (float32 '<f4' arrays by weight name) + model.architecture.json
 *   tfjs-layers  → model.json + weights.bin (what tf.loadLayersModel reads)
 *   onnx         → model.onnx (opset 13, NCHW 'images' in [0,1] → 'logits'; a model imported
 *                  from ONNX: its own graph and weights written back) + README.txt
 * Nothing is overwritten: the folder must be missing or empty when the job starts (the core
 * checked it when the job was accepted; it is checked again here, since files may have appeared
 * while the job was queued). A failed or cancelled export removes what it wrote.
 */
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { saveLayersModel } from '../models/export/layers-model-export';
import { exportModelNpz } from '../models/export/npz-export';
import { saveOnnxModel } from '../models/export/onnx/onnx-export';
import type { ModelExportJobResult, ModelExportJobSpec } from '../protocol';
import type { JobReporter } from '../engine-types';
import { ProgressThrottle } from '../progress/progress-throttle';

/** Creates the folder when missing; throws unless it is an empty folder. True: created here. */
async function claimFolder(folder: string): Promise<boolean> {
  const existing = await stat(folder).catch(() => null);
  if (existing === null) {
    await mkdir(folder, { recursive: true });
    return true;
  }
  if (!existing.isDirectory()) {
    throw new Error(`${folder} is a file: choose a new or empty folder for the export`);
  }
  if ((await readdir(folder)).length > 0) {
    throw new Error(`${folder} is not empty: choose a new or empty folder for the export`);
  }
  return false;
}

async function writeFiles(spec: ModelExportJobSpec, folder: string): Promise<string[]> {
  if (spec.format === 'npz') {
    const paths = {
      npz: join(folder, 'model.npz'),
      description: join(folder, 'model.architecture.json'),
    };
    await exportModelNpz(paths, spec.model, spec.weights);
    return [paths.npz, paths.description];
  }
  if (spec.format === 'onnx') {
    const files = await saveOnnxModel(folder, spec.model, spec.weights);
    return [files.model, files.readme];
  }
  const files = await saveLayersModel(folder, spec.model, spec.weights);
  return [files.modelJson, files.weightsBin];
}

export async function runModelExportJob(
  spec: ModelExportJobSpec,
  reporter: JobReporter,
): Promise<ModelExportJobResult> {
  const progress = new ProgressThrottle(reporter);
  const folder = resolve(spec.folder);
  progress.report(0, `writing ${spec.format} files to ${folder}`, true);
  progress.throwIfCancelled();
  const created = await claimFolder(folder);
  try {
    const files = await writeFiles(spec, folder);
    progress.report(1, `wrote ${files.length} files`, true);
    return { kind: 'model-export', files };
  } catch (error) {
    // Everything in the folder is this export's (it was empty), so all of it goes.
    if (created) await rm(folder, { recursive: true, force: true });
    else {
      for (const entry of await readdir(folder)) {
        await rm(join(folder, entry), { recursive: true, force: true });
      }
    }
    throw error;
  }
}
