/**
 * An imported tfjs-layers model described as a ModelGraph, so the one ONNX graph builder
 * exports it too. The rebuilt layers model is walked in its (topological) layer order up to
 * the logits layer (a softmax the import set aside is not exported), each tfjs-layers layer
 * mapped to the graph layer that computes the same thing:
 *   Rescaling → rescale   Conv2D (square kernel, equal strides, no dilation, no groups,
 *   relu/linear) → conv2d, a ZeroPadding2D of p on every side folded into the 'valid' Conv2D it
 *   feeds   MaxPooling2D ('valid') → max-pool   Flatten → flatten   Dense (relu/linear, 2-D
 *   input) → dense   BatchNormalization (last axis) → batch-norm   ReLU / Activation('relu')
 *   → relu   Add → add   GlobalAveragePooling2D → global-average-pool
 *   Dropout, Activation('linear') → nothing (identity at inference)
 * Any other layer or setting is refused, naming the layer and what is not expressible.
 *
 * The workbench's own input handling comes first, as the imported model's forward does it:
 * its [0,1] images are mapped onto the model's input range [low, high] (x ↦ low + (high − low)·x,
 * a rescale layer) and flattened in (h, w, c) order when the model takes flat vectors.
 *
 * Weights are renamed to the graph's convention ('<layer>.weight', '.bias', '.running_mean',
 * '.running_var') from tfjs-layers' ('<layer>/kernel', 'bias', 'gamma', 'beta', 'moving_mean',
 * 'moving_variance'); their layouts (HWIO kernels, IO dense kernels) are already the engine's.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import type { ModelSpec, WeightTensor } from '../../../engine-types';
import { rebuildLayersModel } from '../../layers-model/layers-architecture';
import { layersDescriptionOf } from '../../layers-model/layers-model-description';
import { GRAPH_INPUT, type GraphLayer, type ModelGraph } from '../../model-graph';

const RENAMED: Record<string, string> = {
  kernel: 'weight',
  bias: 'bias',
  gamma: 'weight',
  beta: 'bias',
  moving_mean: 'running_mean',
  moving_variance: 'running_var',
};

type Config = Record<string, unknown>;

class NotExpressible extends Error {
  constructor(layer: tfl.layers.Layer, what: string) {
    super(
      `this imported tfjs-layers model cannot be exported as ONNX: layer ${layer.name} ` +
        `(${layer.getClassName()}) ${what}; export it as tfjs-layers instead`,
    );
  }
}

/** A config value that must be n equal whole numbers (or one), e.g. kernelSize [3, 3]. */
function square(layer: tfl.layers.Layer, config: Config, key: string): number {
  const raw = config[key];
  const values = Array.isArray(raw) ? (raw as unknown[]) : [raw];
  const [first] = values;
  if (typeof first !== 'number' || values.some((v) => v !== first)) {
    throw new NotExpressible(
      layer,
      `has ${key} ${JSON.stringify(raw)}, not one size for both axes`,
    );
  }
  return first;
}

function activation(layer: tfl.layers.Layer, config: Config): 'relu' | 'linear' {
  const name = config['activation'] ?? 'linear';
  if (name === 'relu' || name === 'linear') return name;
  throw new NotExpressible(layer, `has activation ${String(name)}`);
}

function channelsLast(layer: tfl.layers.Layer, config: Config): void {
  const format = config['dataFormat'];
  if (format !== undefined && format !== 'channelsLast') {
    throw new NotExpressible(layer, `has data format ${String(format)}`);
  }
}

/** p when the ZeroPadding2D pads p on all four sides. */
function symmetricPadding(layer: tfl.layers.Layer, config: Config): number {
  const flat = JSON.stringify(config['padding']).match(/\d+/g)?.map(Number) ?? [];
  const [p] = flat;
  if (p === undefined || flat.some((v) => v !== p)) {
    throw new NotExpressible(layer, 'pads unequally; only the same padding on every side is');
  }
  return p;
}

interface Walk {
  layers: GraphLayer[];
  /** tfjs-layers layer name → the graph id of its output. */
  idOf: Map<string, string>;
  /** ZeroPadding2D layers not yet folded: name → [input id, p]. */
  pads: Map<string, [string, number]>;
  weights: Map<string, WeightTensor>;
  /** The graph id the model's input layer stands for (the images, mapped and flattened). */
  start: string;
}

function inputsOf(walk: Walk, layer: tfl.layers.Layer): string[] {
  const inbound = layer.inboundNodes[0]?.inboundLayers ?? [];
  return inbound.map((l) => {
    if (walk.pads.has(l.name)) {
      throw new NotExpressible(layer, `reads the ZeroPadding2D ${l.name}, which only a Conv2D may`);
    }
    const id = l.getClassName() === 'InputLayer' ? walk.start : walk.idOf.get(l.name);
    if (id === undefined) throw new NotExpressible(layer, `reads ${l.name}, which comes later`);
    return id;
  });
}

function takeWeights(
  walk: Walk,
  layer: tfl.layers.Layer,
  given: ReadonlyMap<string, WeightTensor>,
) {
  for (const variable of layer.weights) {
    const suffix = variable.originalName.split('/').pop() ?? '';
    const renamed = RENAMED[suffix];
    const weight = given.get(variable.originalName);
    if (renamed === undefined || weight === undefined) {
      throw new NotExpressible(
        layer,
        `has a weight ${variable.originalName} the exporter does not know`,
      );
    }
    walk.weights.set(`${layer.name}.${renamed}`, { ...weight, name: `${layer.name}.${renamed}` });
  }
}

function translate(walk: Walk, layer: tfl.layers.Layer): GraphLayer | string | null {
  const config = layer.getConfig() as Config;
  const base = { id: layer.name, weights: layer.name };
  switch (layer.getClassName()) {
    case 'Dropout':
      return inputsOf(walk, layer)[0] ?? null;
    case 'Activation':
      if (activation(layer, config) === 'linear') return inputsOf(walk, layer)[0] ?? null;
      return { id: layer.name, inputs: inputsOf(walk, layer), kind: 'relu' };
    case 'ReLU':
      if (config['maxValue'] != null || Number(config['threshold'] ?? 0) !== 0) {
        throw new NotExpressible(layer, 'has a maximum value or threshold');
      }
      return { id: layer.name, inputs: inputsOf(walk, layer), kind: 'relu' };
    case 'Rescaling':
      return {
        id: layer.name,
        inputs: inputsOf(walk, layer),
        kind: 'rescale',
        scale: Number(config['scale']),
        offset: Number(config['offset'] ?? 0),
      };
    case 'ZeroPadding2D': {
      channelsLast(layer, config);
      const [input = GRAPH_INPUT] = inputsOf(walk, layer);
      walk.pads.set(layer.name, [input, symmetricPadding(layer, config)]);
      return null;
    }
    case 'Conv2D': {
      channelsLast(layer, config);
      if (square(layer, config, 'dilationRate') !== 1)
        throw new NotExpressible(layer, 'is dilated');
      if ((config['groups'] ?? 1) !== 1) throw new NotExpressible(layer, 'has groups');
      const padding = config['padding'] === 'same' ? 'same' : 'valid';
      const source = layer.inboundNodes[0]?.inboundLayers[0]?.name ?? '';
      const pad = walk.pads.get(source);
      if (pad !== undefined && padding !== 'valid') {
        throw new NotExpressible(layer, "pads twice (ZeroPadding2D and 'same')");
      }
      if (pad !== undefined) walk.pads.delete(source);
      return {
        ...base,
        inputs: pad === undefined ? inputsOf(walk, layer) : [pad[0]],
        kind: 'conv2d',
        kernel: square(layer, config, 'kernelSize'),
        filters: Number(config['filters']),
        strides: square(layer, config, 'strides'),
        padding: pad === undefined ? padding : pad[1],
        bias: config['useBias'] !== false,
        activation: activation(layer, config),
      };
    }
    case 'MaxPooling2D':
      channelsLast(layer, config);
      if (config['padding'] !== 'valid') throw new NotExpressible(layer, "pads ('same')");
      return {
        id: layer.name,
        inputs: inputsOf(walk, layer),
        kind: 'max-pool',
        size: square(layer, config, 'poolSize'),
        strides: square(layer, config, 'strides'),
      };
    case 'Flatten':
      channelsLast(layer, config);
      return { id: layer.name, inputs: inputsOf(walk, layer), kind: 'flatten' };
    case 'Dense': {
      const input = layer.input;
      if (Array.isArray(input) || input.shape.length !== 2) {
        throw new NotExpressible(layer, 'reads more than a vector per image');
      }
      if (config['useBias'] === false) throw new NotExpressible(layer, 'has no bias');
      return {
        ...base,
        inputs: inputsOf(walk, layer),
        kind: 'dense',
        units: Number(config['units']),
        activation: activation(layer, config),
      };
    }
    case 'BatchNormalization': {
      const axis = Number(config['axis'] ?? -1);
      if (axis !== -1 && axis !== 3) throw new NotExpressible(layer, `normalizes axis ${axis}`);
      if (config['center'] === false || config['scale'] === false) {
        throw new NotExpressible(layer, 'has no γ or no β');
      }
      return {
        ...base,
        inputs: inputsOf(walk, layer),
        kind: 'batch-norm',
        epsilon: Number(config['epsilon']),
        // Keras' momentum keeps the old average; PyTorch's (the graph's) weighs the new batch.
        momentum: 1 - Number(config['momentum']),
      };
    }
    case 'Add':
      return { id: layer.name, inputs: inputsOf(walk, layer), kind: 'add' };
    case 'GlobalAveragePooling2D':
      channelsLast(layer, config);
      if (config['keepDims'] === true) throw new NotExpressible(layer, 'keeps its spatial axes');
      return { id: layer.name, inputs: inputsOf(walk, layer), kind: 'global-average-pool' };
    default:
      throw new NotExpressible(layer, 'has no counterpart in the ONNX exporter');
  }
}

/** The imported model's graph and its weights renamed to the graph's convention. */
export function layersModelGraph(
  spec: ModelSpec,
  weights: readonly WeightTensor[],
): { graph: ModelGraph; weights: Map<string, WeightTensor> } {
  const description = layersDescriptionOf(spec);
  const given = new Map(weights.map((w) => [w.name, w]));
  const model = rebuildLayersModel(description);
  try {
    let start = GRAPH_INPUT;
    const layers: GraphLayer[] = [];
    const [low, high] = description.inputRange;
    if (low !== 0 || high !== 1) {
      layers.push({
        id: 'input_range',
        inputs: [start],
        kind: 'rescale',
        scale: high - low,
        offset: low,
      });
      start = 'input_range';
    }
    if (description.flatInput) {
      layers.push({ id: 'flat_input', inputs: [start], kind: 'flatten' });
      start = 'flat_input';
    }
    const walk: Walk = { layers, idOf: new Map(), pads: new Map(), weights: new Map(), start };
    let representation = '';
    for (const layer of model.layers) {
      if (layer.getClassName() === 'InputLayer') continue;
      const translated = translate(walk, layer);
      if (typeof translated === 'string') walk.idOf.set(layer.name, translated);
      else if (translated !== null) {
        takeWeights(walk, layer, given);
        walk.layers.push(translated);
        walk.idOf.set(layer.name, translated.id);
      } else if (layer.getClassName() !== 'ZeroPadding2D') {
        throw new NotExpressible(layer, 'has no input');
      }
      if (layer.name === description.logitsLayer) {
        representation = inputsOf(walk, layer)[0] ?? '';
        break;
      }
    }
    const last = walk.layers.at(-1);
    if (last?.id !== description.logitsLayer || last.kind !== 'dense') {
      throw new Error(`the logits layer ${description.logitsLayer} was not reached`);
    }
    return { graph: { layers: walk.layers, representation }, weights: walk.weights };
  } finally {
    model.dispose();
  }
}
