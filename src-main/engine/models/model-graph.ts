/**
 * An architecture's layers as data: what the architecture-description JSON lists and what the
 * tfjs-layers export rebuilds, layer by layer. The forward functions stay hand-written (they fuse
 * and skip work a generic interpreter could not); the export tests check that both agree by
 * comparing the exported tfjs-layers model's logits with the workbench model's.
 *
 * Every layer has an id (unique in the graph; the tfjs-layers layer name) and the ids of its
 * inputs; 'input' is the image batch [N,H,W,C] in [0,1]. The last layer's output is the logits.
 * Layers with weights name them by `weights`: '<weights>.weight', '<weights>.bias', and for
 * BatchNorm '<weights>.running_mean' / '<weights>.running_var' (ParameterSpec names).
 */
export const GRAPH_INPUT = 'input';

export type Activation = 'relu' | 'linear';

/**
 * Padding of a convolution: 'same' and 'valid' as in TensorFlow, or a whole number p of zero
 * rows and columns on every side (PyTorch's padding=p). 'same' pads asymmetrically where the
 * total is odd (stride 2 on an even size: 0 before, 1 after), which PyTorch cannot express; the
 * ResNet's strided 3×3 convolutions use p = 1 so their exported weights mean the same in both.
 */
export type ConvPadding = 'same' | 'valid' | number;

interface LayerBase {
  id: string;
  inputs: string[];
}

export type GraphLayer = LayerBase &
  (
    | { kind: 'rescale'; scale: number; offset: number }
    | {
        kind: 'conv2d';
        weights: string;
        kernel: number;
        filters: number;
        strides: number;
        padding: ConvPadding;
        bias: boolean;
        activation: Activation;
      }
    | { kind: 'max-pool'; size: number; strides: number }
    | { kind: 'flatten' }
    | { kind: 'dense'; weights: string; units: number; activation: Activation }
    | { kind: 'batch-norm'; weights: string; epsilon: number; momentum: number }
    | { kind: 'relu' }
    | { kind: 'add' }
    | { kind: 'global-average-pool' }
  );

export interface ModelGraph {
  layers: GraphLayer[];
  /** Id of the layer whose output is the representation [N, features]. */
  representation: string;
}

/** The input normalization every built-in architecture starts with: x ↦ 2x − 1. */
export function normalizeLayer(): GraphLayer {
  return { id: 'normalize', inputs: [GRAPH_INPUT], kind: 'rescale', scale: 2, offset: -1 };
}

/** A k×k 'same' convolution with bias and ReLU, stride 1 (the conv nets' building block). */
export function convReluLayer(
  id: string,
  input: string,
  filters: number,
  kernel: number,
): GraphLayer {
  return {
    id,
    inputs: [input],
    kind: 'conv2d',
    weights: id,
    kernel,
    filters,
    strides: 1,
    padding: 'same',
    bias: true,
    activation: 'relu',
  };
}

/** 2×2 max pooling, stride 2. */
export function maxPool2Layer(id: string, input: string): GraphLayer {
  return { id, inputs: [input], kind: 'max-pool', size: 2, strides: 2 };
}

/**
 * The conv nets' head: flatten → fc1 (ReLU; its output is the representation) → fc2 (logits).
 */
export function denseHead(input: string, hidden: number, classes: number): GraphLayer[] {
  return [
    { id: 'flatten', inputs: [input], kind: 'flatten' },
    {
      id: 'fc1',
      inputs: ['flatten'],
      kind: 'dense',
      weights: 'fc1',
      units: hidden,
      activation: 'relu',
    },
    {
      id: 'fc2',
      inputs: ['fc1'],
      kind: 'dense',
      weights: 'fc2',
      units: classes,
      activation: 'linear',
    },
  ];
}

/**
 * Evaluates the graph in its order: each layer's value is `apply` of its inputs' values, the
 * graph input's being `input`. Returns every value by id, the input's included; throws for a
 * layer that reads one that comes later or does not exist.
 */
export function walkGraph<T>(
  graph: ModelGraph,
  input: T,
  apply: (layer: GraphLayer, inputs: T[]) => T,
): Map<string, T> {
  const values = new Map<string, T>([[GRAPH_INPUT, input]]);
  for (const layer of graph.layers) {
    const inputs = layer.inputs.map((id) => {
      const value = values.get(id);
      if (value === undefined)
        throw new Error(`${layer.id} reads ${id}, which comes later or does not exist`);
      return value;
    });
    values.set(layer.id, apply(layer, inputs));
  }
  return values;
}
