/**
 * The 'model-import' job: reads a TensorFlow.js layers model (model.json + weight files) or an
 * ONNX file in the worker — parsing and translating build tensors, and the import runs a
 * gradient check, all tensor work that must stay off the main thread — and checks that it fits
 * the project dataset it is imported for: images [H, W, C] (layers models also H·W·C flat
 * values) in, one logit per class out. Then it measures the model's test accuracy on the
 * dataset's whole test split, in batches, as training measures a trained model's.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ModelImportJobResult, ModelImportJobSpec } from '../protocol';
import type { JobReporter, ModelSpec, WeightTensor } from '../engine-types';
import { ImageSource, indexRange } from '../data/image-source';
import { importLayersModelFiles } from '../models/layers-model/import-layers-model';
import { importWeights, parameterCount } from '../models/model-weights';
import { importOnnxFile } from '../models/onnx/import-onnx-model';
import { ProgressThrottle } from '../progress/progress-throttle';
import { correctCount, EVALUATION_BATCH } from '../training/evaluate';

/** Share of the job's progress bar taken by reading and translating the file. */
const READ_SHARE = 0.1;

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
  const shape = imported.spec.inputShape;
  if (shape.join('x') !== spec.imageShape.join('x')) {
    // The importers refuse other images already; this keeps the evaluation below from running
    // a model of other images should they not.
    throw new Error(
      `${spec.path}: the model takes [${shape.join(', ')}], but the dataset has images ` +
        `[${spec.imageShape.join(', ')}]`,
    );
  }
  progress.report(READ_SHARE, `read ${imported.weights.length} weight arrays`, true);
  const testAccuracy =
    spec.test === null
      ? null
      : measureTestAccuracy(imported.spec, imported.weights, spec, progress);
  const testCount = spec.test?.labels.length ?? 0;
  progress.report(1, `imported ${imported.weights.length} weight arrays`, true);
  return {
    kind: 'model-import',
    spec: imported.spec,
    weights: imported.weights,
    parameterCount: parameterCount(imported.spec),
    testAccuracy,
    testCount,
    notes: [
      ...imported.notes,
      testAccuracy === null
        ? 'the dataset has no test images: the test accuracy was not measured'
        : `test accuracy ${(testAccuracy * 100).toFixed(2)}%, measured on the dataset's ${testCount} test images`,
    ],
  };
}

/**
 * Correct predictions (argmax of the logits equals the label) over the test split, divided by
 * its size; EVALUATION_BATCH images at a time, reporting progress and honouring a cancel
 * between batches. Builds its own copy of the model, so the weights returned stay untouched.
 */
function measureTestAccuracy(
  modelSpec: ModelSpec,
  weights: readonly WeightTensor[],
  spec: ModelImportJobSpec,
  progress: ProgressThrottle,
): number {
  if (spec.test === null) throw new Error('no test split to measure');
  const source = new ImageSource(
    spec.test.images,
    spec.test.labels,
    spec.numClasses,
    'test images',
  );
  const indices = indexRange(0, source.count);
  const model = importWeights(modelSpec, weights);
  try {
    let correct = 0;
    for (let start = 0; start < indices.length; start += EVALUATION_BATCH) {
      progress.throwIfCancelled();
      const { images, labels } = source.take(indices.subarray(start, start + EVALUATION_BATCH));
      try {
        correct += tf.tidy(
          () => correctCount(model.forward(images).logits, labels).dataSync()[0] ?? 0,
        );
      } finally {
        tf.dispose([images, labels]);
      }
      const done = Math.min(start + EVALUATION_BATCH, indices.length);
      progress.report(
        READ_SHARE + (1 - READ_SHARE) * (done / indices.length),
        `test accuracy: ${done} of ${indices.length} test images`,
      );
    }
    return correct / indices.length;
  } finally {
    model.dispose();
  }
}
