/**
 * The engine's ModelSpec of a stored model. Every job that sends a project model to the engine
 * builds its spec here, so that an imported tfjs-layers model always travels with its layers
 * description, and an imported ONNX model with its structure (without them the engine cannot
 * rebuild the model). Both are stored in the models table's description column (`layers`).
 */
import type { ModelSummary } from '../common/model-schemas';
import type { ModelRecord, ModelRepository } from '../db/repositories/model-repository';
import { issuesText, StoredColumnError } from '../db/repositories/stored-json';
import { LayersModelDescription } from '../engine/models/layers-model/layers-model-description';
import { OnnxModelDescription } from '../engine/models/onnx/onnx-model-description';
import type { ModelSpec } from '../engine/engine-types';

export function modelSpecOf(record: ModelRecord): ModelSpec {
  const spec: ModelSpec = {
    architecture: record.architecture,
    inputShape: record.inputShape,
    numClasses: record.numClasses,
  };
  if (record.architecture === 'onnx') return { ...spec, onnx: onnxDescriptionOf(record) };
  if (record.architecture !== 'tfjs-layers') return spec;
  if (record.layers === null) {
    throw new Error(
      `model ${record.id} "${record.name}" is an imported tfjs-layers model without its layers ` +
        'description in the project: import it again',
    );
  }
  const layers = LayersModelDescription.safeParse(record.layers);
  if (!layers.success) {
    throw new StoredColumnError(
      `model ${record.id} "${record.name}": the project file's models.layers is not a tfjs-layers ` +
        `description (${issuesText(layers.error)}): import the model again`,
    );
  }
  return { ...spec, layers: layers.data };
}

function onnxDescriptionOf(record: ModelRecord): OnnxModelDescription {
  const parsed = OnnxModelDescription.safeParse(record.layers);
  if (!parsed.success) {
    throw new StoredColumnError(
      `model ${record.id} "${record.name}" is an imported ONNX model whose stored description ` +
        `(the project file's models.layers) is missing or malformed ` +
        `(${issuesText(parsed.error)}): import it again`,
    );
  }
  return parsed.data;
}

/**
 * A stored model as the contract's ModelSummary: without its shapes and stored description, with
 * an imported ONNX model's provenance (what its page shows), or why it cannot be used where that
 * description cannot be read.
 */
export function modelSummaryOf(record: ModelRecord): ModelSummary {
  const { inputShape: _shape, numClasses: _classes, layers: _description, ...summary } = record;
  if (record.architecture !== 'onnx') return summary;
  try {
    return { ...summary, onnx: onnxDescriptionOf(record).provenance };
  } catch (error) {
    if (!(error instanceof StoredColumnError)) throw error;
    return { ...summary, problem: error.message };
  }
}

/**
 * Every model of the project as the contract lists them, in id order. A model whose row cannot be
 * read is listed too, with why (ModelSummary.problem), so that it can be found and deleted.
 */
export function listedModels(models: ModelRepository): ModelSummary[] {
  const unreadable = models.unreadable().map(({ summary, problem }) => ({ ...summary, problem }));
  return [...models.list().map(modelSummaryOf), ...unreadable].sort((a, b) => a.id - b.id);
}

/** One model as listedModels gives it. */
export function listedModel(models: ModelRepository, id: number): ModelSummary {
  try {
    return modelSummaryOf(models.get(id));
  } catch (error) {
    if (!(error instanceof StoredColumnError)) throw error;
    return { ...models.summary(id), problem: error.message };
  }
}
