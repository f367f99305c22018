/**
 * The 'model-import' job: reads a TensorFlow.js layers model (model.json + weight files) in the
 * worker — parsing it builds tfjs-layers variables and the import runs a gradient check, both
 * tensor work that must stay off the main thread — and checks that it fits the project dataset
 * it is imported for: images [H, W, C] (or H·W·C flat values) in, one logit per class out.
 */
import type { JobReporter, ModelImportJobResult, ModelImportJobSpec } from '../protocol';
import { importLayersModelFiles } from '../models/layers-model/import-layers-model';
import { parameterCount } from '../models/model-weights';
import { ProgressThrottle } from './progress-throttle';

export async function runModelImportJob(
  spec: ModelImportJobSpec,
  reporter: JobReporter,
): Promise<ModelImportJobResult> {
  const progress = new ProgressThrottle(reporter);
  progress.report(0, `reading ${spec.path}`, true);
  // imageShape makes the import refuse a model of other images, and gives flat models theirs.
  const imported = await importLayersModelFiles(spec.path, {
    inputRange: spec.inputRange,
    imageShape: spec.imageShape,
  });
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
