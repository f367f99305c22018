/** The dataset splits an experiment job carries, as image sources (validated once, here). */
import { ImageSource } from '../data/image-source';
import type { ExperimentJobSpec } from '../protocol';

export function trainingSource(spec: ExperimentJobSpec): ImageSource {
  return new ImageSource(spec.trainImages, spec.trainLabels, spec.numClasses, 'training images');
}

export function testSource(spec: ExperimentJobSpec): ImageSource {
  return new ImageSource(spec.testImages, spec.testLabels, spec.numClasses, 'test images');
}
