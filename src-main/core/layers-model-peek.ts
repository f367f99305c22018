/**
 * What a TensorFlow.js layers model.json says about its input and output, read as plain JSON on
 * the main thread (no tfjs, no tensors), so that an import that cannot fit the chosen dataset is
 * refused before its run row exists. Only what the topology states plainly is reported; anything
 * else is null and left to the engine's import, which checks everything again with tfjs-layers.
 *
 * The topology is Keras' JSON (snake_case), either directly or under model_config (files from
 * tensorflowjs_converter):
 *   Sequential:  config.layers (or config itself) = [{class_name, config: {batch_input_shape,
 *                units, activation}}, …] — the first layer has the input shape, the last the output
 *   Functional:  config.layers = [{class_name, name, config, inbound_nodes: [[[name, 0, 0, {}]]]}],
 *                config.input_layers = [[name, 0, 0]], config.output_layers = [[name, 0, 0]]
 * Like the import, the output walks back over softmax-only layers to the Dense logits layer.
 */
import { readFileSync, statSync } from 'node:fs';
import { locateWeightFiles } from '../engine/models/layers-model/weight-files';

/** A topology and manifest take kilobytes; the weights are in their own files. */
const modelJsonLimit = 64 * 1024 * 1024;

export interface LayersModelPeek {
  /** The input's shape without the batch axis: [H, W, C] or [D]; null when not stated plainly. */
  inputShape: number[] | null;
  /** Units of the Dense logits layer; null when not found plainly. */
  numClasses: number | null;
}

interface KerasLayer {
  class_name?: unknown;
  name?: unknown;
  config?: { name?: unknown; batch_input_shape?: unknown; units?: unknown; activation?: unknown };
  inbound_nodes?: unknown;
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function layerName(layer: KerasLayer): unknown {
  return layer.name ?? layer.config?.name;
}

function isSoftmaxOnly(layer: KerasLayer): boolean {
  return (
    layer.class_name === 'Softmax' ||
    (layer.class_name === 'Activation' && layer.config?.activation === 'softmax')
  );
}

function shapeOf(layer: KerasLayer | undefined): number[] | null {
  const shape = layer?.config?.batch_input_shape;
  if (!Array.isArray(shape) || shape.length < 2) return null;
  const rest = shape.slice(1);
  return rest.every((n): n is number => typeof n === 'number') ? rest : null;
}

function unitsOf(layer: KerasLayer | undefined): number | null {
  if (layer?.class_name !== 'Dense') return null;
  const units = layer.config?.units;
  return typeof units === 'number' ? units : null;
}

/** [[name, 0, 0]] → name */
function firstNodeName(list: unknown): unknown {
  return Array.isArray(list) && Array.isArray(list[0]) ? (list[0] as unknown[])[0] : undefined;
}

function peekSequential(layers: KerasLayer[]): LayersModelPeek {
  let last = layers.length - 1;
  while (last > 0 && isSoftmaxOnly(layers[last] as KerasLayer)) last -= 1;
  return { inputShape: shapeOf(layers[0]), numClasses: unitsOf(layers[last]) };
}

function peekFunctional(config: Record<string, unknown>, layers: KerasLayer[]): LayersModelPeek {
  const byName = new Map(layers.map((layer) => [layerName(layer), layer]));
  const inputs = config['input_layers'];
  const outputs = config['output_layers'];
  const inputShape =
    Array.isArray(inputs) && inputs.length === 1
      ? shapeOf(byName.get(firstNodeName(inputs)))
      : null;
  if (!Array.isArray(outputs) || outputs.length !== 1) return { inputShape, numClasses: null };
  let layer = byName.get(firstNodeName(outputs));
  // Each step goes one layer back; the bound stops a malformed (cyclic) file.
  for (
    let steps = 0;
    layer !== undefined && isSoftmaxOnly(layer) && steps < layers.length;
    steps++
  ) {
    const nodes = layer.inbound_nodes;
    layer =
      Array.isArray(nodes) && nodes.length === 1 ? byName.get(firstNodeName(nodes[0])) : undefined;
  }
  return { inputShape, numClasses: unitsOf(layer) };
}

/**
 * Reads the model.json; throws a clear error when it is missing, unreadable, not JSON or has no
 * topology, and otherwise reports what it can.
 */
export function peekLayersModel(path: string): LayersModelPeek {
  let text: string;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw new Error('it is a folder, not a model.json file');
    if (!stat.isFile()) throw new Error('it is not a regular file');
    if (stat.size > modelJsonLimit) {
      throw new Error(
        `it is ${Math.round(stat.size / 2 ** 20)} MB; a model.json (topology and manifest, no weights) is at most 64 MB`,
      );
    }
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(
      `${path} cannot be read (${error instanceof Error ? error.message : String(error)})`,
      { cause: error },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${path} is not JSON: choose the model.json of a TensorFlow.js layers model`);
  }
  const file = record(parsed);
  const topology = record(file?.['modelTopology']);
  if (topology === null) {
    throw new Error(`${path} has no modelTopology: it is not a TensorFlow.js layers model.json`);
  }
  // Weight paths and sizes are checked here too, so a refused import leaves no run row behind.
  if (file !== null && 'weightsManifest' in file) locateWeightFiles(path, file['weightsManifest']);
  const model = record(topology['model_config']) ?? topology;
  const config = model['config'];
  const configRecord = record(config);
  const layers = (Array.isArray(config) ? config : configRecord?.['layers']) as unknown;
  if (!Array.isArray(layers) || layers.length === 0) return { inputShape: null, numClasses: null };
  const kerasLayers = layers.map((layer) => (record(layer) ?? {}) as KerasLayer);
  return model['class_name'] === 'Sequential' || configRecord === null
    ? peekSequential(kerasLayers)
    : peekFunctional(configRecord, kerasLayers);
}
