/**
 * Model import and export as engine jobs (issue 4 §2). Reading a tfjs-layers model and writing
 * one both build tensors, so both run in an engine worker; each has a run row from the moment
 * it is accepted: kind 'import' (the run that made the imported model: its trainingRunId) or
 * 'export'. Everything that can be checked without tensors is checked before the run row
 * exists, so a refused request leaves nothing behind:
 *   import: the model.json reads as a layers topology, and what it states of its input shape
 *           and class count fits the chosen dataset (the engine checks both again, fully);
 *           an ONNX file parses, declares the dataset's images and class count, has only ops
 *           and attributes the importer translates, and has the named representation node
 *           (onnx-model-peek.ts; the engine translates it and checks again);
 *           Once imported, the engine measures the model's test accuracy on the dataset's whole
 *           test split, stored as a trained model's is (null when the split is empty);
 *   export: the folder is new or empty (nothing is ever overwritten), the model can be rebuilt.
 */
import { basename, dirname, extname, resolve } from 'node:path';
import {
  ModelExportRequest,
  ModelImportRequest,
  modelExportFormats,
  type ModelExportResult,
  type ModelImportResult,
} from '../common/model-io-schemas';
import type { ProjectStore } from '../db/project-store';
import type { DatasetRecord } from '../db/repositories/dataset-repository';
import type { ModelExportJobSpec, ModelImportJobSpec } from '../engine/protocol';
import {
  checkExportFolder,
  commitWrittenFiles,
  prepareExportFolder,
  type ExportFolder,
} from './datasets/export-folder';
import type { JobDefinition } from './job-runner';
import { peekLayersModel } from './layers-model-peek';
import { checkOnnxImport } from './onnx-model-peek';
import { modelSpecOf } from './model-spec';
import { imageBatch, splitIndices } from './datasets/dataset-reading';

const sameShape = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((value, i) => value === b[i]);

/** Throws, naming both sides, when what the model.json states does not fit the dataset. */
function checkFits(path: string, dataset: DatasetRecord): void {
  const peek = peekLayersModel(path);
  const imageShape = dataset.imageShape;
  const size = imageShape.reduce((a, b) => a * b, 1);
  const shape = peek.inputShape;
  if (shape !== null) {
    const fits = shape.length === 1 ? shape[0] === size : sameShape(shape, imageShape);
    if (!fits) {
      throw new Error(
        `${path} takes inputs [${shape.join(', ')}], but dataset "${dataset.name}" has images ` +
          `[${imageShape.join(', ')}] (${size} values): choose a dataset of the model's images`,
      );
    }
  }
  const classes = dataset.classNames.length;
  if (peek.numClasses !== null && peek.numClasses !== classes) {
    throw new Error(
      `${path} outputs ${peek.numClasses} classes, but dataset "${dataset.name}" has ${classes}`,
    );
  }
}

export function defineModelImportJob(
  store: ProjectStore,
  input: ModelImportRequest,
): JobDefinition {
  const request = ModelImportRequest.parse(input);
  const path = resolve(request.path);
  const dataset = store.datasets.get(request.datasetId);
  const numClasses = dataset.classNames.length;
  const onnx = request.format === 'onnx';
  // Hashed here, so that the engine imports the very file that was checked.
  const sha256 = onnx
    ? checkOnnxImport(
        path,
        { name: dataset.name, imageShape: dataset.imageShape, numClasses },
        request.representation,
      )
    : null;
  if (!onnx) checkFits(path, dataset);
  const defaultName = onnx ? basename(path, extname(path)) : basename(dirname(path));
  const name = request.name ?? (defaultName || 'imported model');
  const runId = store.runs.insert({
    kind: 'import',
    name: `Import ${name} (${request.format})`,
    config: { ...request, path, name },
    seed: 0,
    modelId: null,
  });
  return {
    runId,
    kind: 'import',
    prepare() {
      // The whole test split: the engine measures the model's test accuracy on it, as training
      // does a trained model's.
      const testIndices = splitIndices(dataset, 'test');
      const test = testIndices.length === 0 ? null : imageBatch(store, dataset, testIndices);
      const spec: ModelImportJobSpec = {
        kind: 'model-import',
        format: request.format,
        path,
        ...(sha256 === null
          ? {}
          : {
              onnx: {
                sha256,
                datasetName: dataset.name,
                ...(request.representation === undefined
                  ? {}
                  : { representation: request.representation }),
              },
            }),
        inputRange: request.inputRange,
        imageShape: dataset.imageShape,
        numClasses,
        test,
      };
      const transfer =
        test === null
          ? []
          : [test.images.data.buffer as ArrayBuffer, test.labels.buffer as ArrayBuffer];
      return { spec, transfer };
    },
    onStarted: (backend, engineVersion) => store.runs.markRunning(runId, backend, engineVersion),
    onMetrics: () => {},
    onCompleted(result) {
      if (result.kind !== 'model-import')
        throw new Error('the engine returned the wrong kind of result');
      const { spec } = result;
      // The engine checked the fit; this guards the project against a model that does not.
      if (!sameShape(spec.inputShape, dataset.imageShape) || spec.numClasses !== numClasses) {
        throw new Error(
          `the imported model takes [${spec.inputShape.join(', ')}] with ${spec.numClasses} classes, ` +
            `not dataset "${dataset.name}"'s [${dataset.imageShape.join(', ')}] with ${numClasses}`,
        );
      }
      // The architecture's description: a layers model's layers, an ONNX model's structure.
      const description = spec.architecture === 'onnx' ? spec.onnx : spec.layers;
      if (description === undefined || spec.architecture !== (onnx ? 'onnx' : 'tfjs-layers'))
        throw new Error(`the imported model has no ${request.format} description`);
      store.db.transaction(() => {
        const modelId = store.models.insert({
          name,
          architecture: spec.architecture,
          inputShape: spec.inputShape,
          numClasses: spec.numClasses,
          datasetId: dataset.id,
          trainingRunId: runId,
          robust: false,
          parameterCount: result.parameterCount,
          testAccuracy: result.testAccuracy,
          weights: result.weights,
          layers: description,
        });
        const stored: ModelImportResult = {
          kind: 'import',
          modelId,
          source: path,
          inputRange: request.inputRange,
          parameterCount: result.parameterCount,
          notes: result.notes,
        };
        store.runs.finish(runId, 'completed', { modelId, result: stored });
      })();
    },
    onFailed: (error) => store.runs.finish(runId, 'failed', { error }),
    onCancelled: () => store.runs.finish(runId, 'cancelled'),
  };
}

export function defineModelExportJob(
  store: ProjectStore,
  input: ModelExportRequest,
): JobDefinition {
  const request = ModelExportRequest.parse(input);
  if (store.db.readonly) {
    // The export is recorded as a run, and a project opened alongside its owner is read-only.
    throw new Error(
      'a model export is recorded as a run in the project, and another workbench has the project open for writing: export the model from that workbench, or close the project there and try again',
    );
  }
  const model = store.models.get(request.modelId);
  const formats = modelExportFormats(model.architecture);
  if (!formats.includes(request.format)) {
    const why =
      model.architecture === 'onnx'
        ? ' (it was imported from an ONNX file, whose own graph and weights the onnx export writes back)'
        : '';
    throw new Error(
      `model "${model.name}" cannot be exported as ${request.format}: it exports as ${formats.join(' or ')} only${why}`,
    );
  }
  // Both throw with a message before anything is written.
  const folder = checkExportFolder(request.folder);
  const spec = modelSpecOf(model);
  const runId = store.runs.insert({
    kind: 'export',
    name: `Export ${model.name} (${request.format})`,
    config: { ...request, folder },
    seed: 0,
    modelId: model.id,
  });
  // Written into a temporary folder beside the target and moved into place when complete, so a
  // killed export leaves no half-filled folder behind to block a retry (export-folder.ts).
  let partial: ExportFolder | null = null;
  const discard = () => {
    partial?.discard();
    partial = null;
  };
  return {
    runId,
    kind: 'export',
    prepare() {
      const weights = store.models.weights(model.id);
      partial = prepareExportFolder(folder);
      const job: ModelExportJobSpec = {
        kind: 'model-export',
        model: spec,
        weights,
        format: request.format,
        folder: partial.path,
      };
      return { spec: job, transfer: weights.map((w) => w.data.buffer as ArrayBuffer) };
    },
    onStarted: (backend, engineVersion) => store.runs.markRunning(runId, backend, engineVersion),
    onMetrics: () => {},
    onCompleted(result) {
      if (result.kind !== 'model-export')
        throw new Error('the engine returned the wrong kind of result');
      if (partial === null) throw new Error('the export finished without its folder');
      const files = commitWrittenFiles(partial, result.files);
      partial = null;
      const stored: ModelExportResult = {
        kind: 'export',
        modelId: model.id,
        format: request.format,
        folder,
        files,
      };
      store.runs.finish(runId, 'completed', { result: stored });
    },
    onFailed: (error) => {
      discard();
      store.runs.finish(runId, 'failed', { error });
    },
    onCancelled: () => {
      discard();
      store.runs.finish(runId, 'cancelled');
    },
  };
}
