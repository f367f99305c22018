/**
 * The engine's ModelSpec of a stored model. Every job that sends a project model to the engine
 * builds its spec here, so that an imported tfjs-layers model always travels with its layers
 * description, and an imported ONNX model with its structure (without them the engine cannot
 * rebuild the model). Both are stored in the models table's description column (`layers`).
 */
import type { ModelSummary } from '../common/schemas';
import type { ModelRecord } from '../db/repositories/model-repository';
import { LayersModelDescription } from '../engine/models/layers-model/layers-model-description';
import { OnnxModelDescription } from '../engine/models/onnx/onnx-model-description';
import type { ModelSpec } from '../engine/protocol';

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
    throw new Error(
      `model ${record.id} "${record.name}": its stored layers description is malformed ` +
        `(${layers.error.message})`,
    );
  }
  return { ...spec, layers: layers.data };
}

function onnxDescriptionOf(record: ModelRecord): OnnxModelDescription {
  const parsed = OnnxModelDescription.safeParse(record.layers);
  if (!parsed.success) {
    throw new Error(
      `model ${record.id} "${record.name}" is an imported ONNX model whose stored description is ` +
        `missing or malformed (${parsed.error.message}): import it again`,
    );
  }
  return parsed.data;
}

/**
 * A stored model as the contract's ModelSummary: without its shapes and stored description, with
 * an imported ONNX model's provenance (what its page shows).
 */
export function modelSummaryOf(record: ModelRecord): ModelSummary {
  const { inputShape: _shape, numClasses: _classes, layers: _description, ...summary } = record;
  if (record.architecture !== 'onnx') return summary;
  return { ...summary, onnx: onnxDescriptionOf(record).provenance };
}
