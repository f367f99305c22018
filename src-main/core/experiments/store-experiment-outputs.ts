/**
 * Saves what an experiment built — constructed datasets and freshly trained models — as ordinary
 * project datasets and models, so every one of them can be browsed, attacked, retrained and
 * exported like the user's own. Runs inside the caller's transaction.
 */
import type { DatasetRecord } from '../../db/repositories/dataset-repository';
import type { ProjectStore } from '../../db/project-store';
import type { ConstructedDatasetOutput, TrainedModelOutput } from '../../engine/protocol';
import { splitIndices } from '../datasets/dataset-reading';

/**
 * A constructed dataset keeps the ORIGINAL test split beside its constructed training images
 * (train: the experiment's images, float32; test: the original test images, converted exactly to
 * float32 by /255), so that training on it and testing on real data is an ordinary training run.
 *
 * Its provenance, per image: the position in `original` of the image it came from (a training
 * image the experiment started from, or the test image copied) and that image's label there,
 * which for D_rand / D_det differs from the image's own label (the target).
 */
export function storeConstructedDataset(
  store: ProjectStore,
  original: DatasetRecord,
  output: ConstructedDatasetOutput,
  name: string,
  seed: number,
): number {
  const testIndices = splitIndices(original, 'test');
  const testPixels = store.datasets.readImages(original, testIndices);
  const scale = testPixels instanceof Uint8Array ? 1 / 255 : 1;
  const trainCount = output.labels.length;
  const sourceIndices = new Int32Array(trainCount + testIndices.length);
  sourceIndices.set(trainSourceIndices(original, output));
  sourceIndices.set(testIndices, trainCount);
  const originalLabels = sourceIndices.map((index) => original.labels[index] ?? 0);
  const pixels = new Float32Array(output.images.length + testPixels.length);
  pixels.set(output.images);
  for (let i = 0; i < testPixels.length; i++) {
    pixels[output.images.length + i] = (testPixels[i] ?? 0) * scale;
  }
  const labels = new Int32Array(trainCount + testIndices.length);
  labels.set(output.labels);
  testIndices.forEach((index, i) => (labels[trainCount + i] = original.labels[index] ?? 0));
  const splits = new Uint8Array(labels.length);
  splits.fill(1, trainCount);
  return store.datasets.insert({
    name,
    imageShape: original.imageShape,
    classNames: original.classNames,
    source: `${output.description}; test split: the test images of "${original.name}"`,
    split: { method: 'constructed', seed, train: trainCount, test: testIndices.length },
    pixels,
    labels,
    splits,
    provenance: {
      sourceDatasetId: original.id,
      sourceDatasetName: original.name,
      sourceIndices,
      originalLabels,
    },
  });
}

/**
 * The engine names each constructed image's source by its position in the training split it was
 * sent; this maps those to positions in the dataset. An index outside the split is the engine's
 * fault and stops the store (the caller's transaction then writes nothing).
 */
function trainSourceIndices(original: DatasetRecord, output: ConstructedDatasetOutput): Int32Array {
  const trainIndices = splitIndices(original, 'train');
  if (output.sourceIndices.length !== output.labels.length) {
    throw new Error(
      `${output.key}: ${output.labels.length} images but ${output.sourceIndices.length} source indices`,
    );
  }
  return output.sourceIndices.map((position, n) => {
    const index = trainIndices[position];
    if (index === undefined) {
      throw new Error(
        `${output.key}: image ${n} names training image ${position}, but "${original.name}" has ${trainIndices.length}`,
      );
    }
    return index;
  });
}

export function storeTrainedModel(
  store: ProjectStore,
  output: TrainedModelOutput,
  name: string,
  datasetId: number,
  runId: number,
): number {
  return store.models.insert({
    name,
    architecture: output.spec.architecture,
    inputShape: output.spec.inputShape,
    numClasses: output.spec.numClasses,
    datasetId,
    trainingRunId: runId,
    robust: output.robust,
    parameterCount: output.parameterCount,
    testAccuracy: output.testAccuracy,
    weights: output.weights,
  });
}
