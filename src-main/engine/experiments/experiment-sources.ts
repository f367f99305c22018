/** The dataset splits and models an experiment job carries, as the experiments read them. */
import { ImageSource } from '../data/image-source';
import type { ExperimentJobSpec, ExperimentModelInput } from '../protocol';

export function trainingSource(spec: ExperimentJobSpec): ImageSource {
  return new ImageSource(spec.trainImages, spec.trainLabels, spec.numClasses, 'training images');
}

export function testSource(spec: ExperimentJobSpec): ImageSource {
  return new ImageSource(spec.testImages, spec.testLabels, spec.numClasses, 'test images');
}

/** The project model `id` the config names; `role` names it in the error, e.g. "source model". */
export function sentModel(spec: ExperimentJobSpec, id: number, role: string): ExperimentModelInput {
  const input = spec.models.find((model) => model.id === id);
  if (input === undefined) throw new Error(`${role} ${id} was not sent`);
  return input;
}
