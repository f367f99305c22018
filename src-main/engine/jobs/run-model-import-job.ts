/**
 * The 'model-import' job: reads a TensorFlow.js layers model (model.json + weight files) or an
 * ONNX file in the worker — parsing and translating build tensors, and the import runs a
 * gradient check, all tensor work that must stay off the main thread — and checks that it fits
 * the project dataset it is imported for: images [H, W, C] (layers models also H·W·C flat
 * values) in, one logit per class out.
 */
import type { ModelImportJobResult, ModelImportJobSpec } from '../protocol';
import type { JobReporter } from '../engine-types';
import { importLayersModelFiles } from '../models/layers-model/import-layers-model';
import { parameterCount } from '../models/model-weights';
import { importOnnxFile } from '../models/onnx/import-onnx-model';
import { ProgressThrottle } from '../progress/progress-throttle';

async function importFile(spec: ModelImportJobSpec) {
  if (spec.format === 'onnx') {
    if (spec.onnx === undefined)
      throw new Error('an ONNX import needs the file hash the core checked');
    return importOnnxFile(spec.path, {
      target: {
        name: spec.onnx.datasetName,
        imageShape: spec.imageShape,
        numClasses: spec.numClasses,
      },
      inputRange: spec.inputRange,
      sha256: spec.onnx.sha256,
      ...(spec.onnx.representation === undefined
        ? {}
        : { representation: spec.onnx.representation }),
    });
  }
  // imageShape makes the import refuse a model of other images, and gives flat models theirs.
  return importLayersModelFiles(spec.path, {
    inputRange: spec.inputRange,
    imageShape: spec.imageShape,
  });
}

export async function runModelImportJob(
  spec: ModelImportJobSpec,
  reporter: JobReporter,
): Promise<ModelImportJobResult> {
  const progress = new ProgressThrottle(reporter);
  progress.report(0, `reading ${spec.path}`, true);
  const imported = await importFile(spec);
  progress.throwIfCancelled();
  if (imported.spec.numClasses !== spec.numClasses) {
    throw new Error(
      `${spec.path}: the model outputs ${imported.spec.numClasses} logits, ` +
        `but the dataset has ${spec.numClasses} classes`,
    );
  }
  progress.report(1, `read ${imported.weights.length} weight arrays`, true);
  return {
    kind: 'model-import',
    spec: imported.spec,
    weights: imported.weights,
    parameterCount: parameterCount(imported.spec),
    notes: imported.notes,
  };
}
