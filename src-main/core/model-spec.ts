/**
 * The engine's ModelSpec of a stored model. Every job that sends a project model to the engine
 * builds its spec here, so that an imported tfjs-layers model always travels with its layers
 * description (without it the engine cannot rebuild the model).
 */
import type { ModelRecord } from '../db/repositories/model-repository';
import { LayersModelDescription } from '../engine/models/layers-model/layers-model-description';
import type { ModelSpec } from '../engine/protocol';

export function modelSpecOf(record: ModelRecord): ModelSpec {
  const spec: ModelSpec = {
    architecture: record.architecture,
    inputShape: record.inputShape,
    numClasses: record.numClasses,
  };
  if (record.architecture !== 'tfjs-layers') return spec;
  if (record.layers === null) {
    throw new Error(
      `model ${record.id} "${record.name}" is an imported tfjs-layers model without its layers ` +
        'description in the project: import it again',
    );
  }
  const layers = LayersModelDescription.safeParse(record.layers);
  if (!layers.success) {
    throw new Error(
      `model ${record.id} "${record.name}": its stored layers description is malformed ` +
        `(${layers.error.message})`,
    );
  }
  return { ...spec, layers: layers.data };
}
