/**
 * The architecture-description JSON that goes next to an .npz weight export: what each array
 * is, where it sits in the network, and how to lay it out for PyTorch.
 *
 * Conventions of the workbench (TensorFlow's):
 *   images NHWC [N, H, W, C], float32 in [0, 1]; normalization (x ↦ 2x − 1) is the first layer
 *   conv weights HWIO [kernelHeight, kernelWidth, inChannels, outChannels] → PyTorch OIHW:
 *     w.transpose(3, 2, 0, 1)
 *   dense weights IO [in, out] (y = x·W + b) → PyTorch Linear [out, in]: w.T
 *   a dense layer after a flatten reads (h, w, c) order; PyTorch flattens NCHW as (c, h, w):
 *     w.reshape(H, W, C, out).transpose(3, 2, 0, 1).reshape(out, C·H·W)
 *   biases, BatchNorm weight/bias/running_mean/running_var: [C], the same in PyTorch
 *   padding 'same' (TensorFlow) pads (k − 1) zeros split as ⌊·/2⌋ before, the rest after; a
 *   whole number p is PyTorch's padding=p
 */
import type { ModelSpec, WeightTensor } from '../../engine-types';
import { architectures, type ArchitectureRegistry } from '../architecture-registry';
import { graphShapes } from '../graph-shapes';
import { layersDescriptionOf } from '../layers-model/layers-model-description';
import { GRAPH_INPUT, type GraphLayer } from '../model-graph';
import { validateModelSpec } from '../model-spec';
import { weightFor } from '../model-weights';

export const ARCHITECTURE_FORMAT = 'robust-features-workbench/architecture' as const;

export interface DescribedParameter {
  name: string;
  shape: number[];
  /** Axis order, e.g. 'HWIO' for a conv kernel, 'IO' for a dense one, 'C' for a vector. */
  layout: string;
  trainable: boolean;
  /** NumPy expression giving the PyTorch tensor from the array `w`. */
  pytorch: string;
}

export type DescribedLayer = GraphLayer & {
  /** Output shape per example (no batch axis). */
  outputShape: number[];
  parameters: DescribedParameter[];
};

export interface ArchitectureDescription {
  format: typeof ARCHITECTURE_FORMAT;
  version: 1;
  architecture: string;
  description: string;
  inputShape: [number, number, number];
  numClasses: number;
  input: { layout: 'NHWC'; dtype: 'float32'; range: [number, number] };
  conventions: string[];
  /** For built-in architectures: the layers in order; 'input' is the image batch. */
  layers: DescribedLayer[];
  /** Imported tfjs-layers models: their layers as tfjs-layers names them. */
  layersModel: { className: string; layers: { name: string; className: string }[] } | null;
  /** Layer whose output is the representation (built-in), or whose input is (imported). */
  representation: string;
  logits: string;
  /** Every array of the .npz, in order. */
  parameters: { name: string; shape: number[]; trainable: boolean }[];
}

const CONVENTIONS = [
  'images are NHWC [N, H, W, C], float32 in [0, 1]; normalization is inside the model',
  'conv weights are HWIO [kernelHeight, kernelWidth, inChannels, outChannels]; PyTorch OIHW = w.transpose(3, 2, 0, 1)',
  'dense weights are IO [in, out] (y = x·W + b); PyTorch Linear = w.T',
  'flatten reads (h, w, c) order; for a dense layer after it, PyTorch (c, h, w) order is given per parameter',
  "padding 'same' is TensorFlow's (odd totals pad one more after); a number p is PyTorch's padding=p",
  'BatchNorm: weight = γ, bias = β, running_mean, running_var as in PyTorch; ε and momentum are PyTorch-style',
];

function describeParameters(
  layer: GraphLayer,
  shapes: Map<string, number[]>,
  byName: Map<string, { shape: number[]; trainable: boolean }>,
  flattenInputs: Map<string, number[]>,
): DescribedParameter[] {
  if (!('weights' in layer)) return [];
  const suffixes =
    layer.kind === 'batch-norm'
      ? ['weight', 'bias', 'running_mean', 'running_var']
      : layer.kind === 'conv2d' && !layer.bias
        ? ['weight']
        : ['weight', 'bias'];
  const input = shapes.get(layer.inputs[0] ?? GRAPH_INPUT) ?? [];
  return suffixes.map((suffix) => {
    const name = `${layer.weights}.${suffix}`;
    const known = byName.get(name);
    if (known === undefined) throw new Error(`the architecture lists no weight ${name}`);
    let layout = 'C';
    let pytorch = 'w';
    if (suffix === 'weight' && layer.kind === 'conv2d') {
      layout = 'HWIO';
      pytorch = 'w.transpose(3, 2, 0, 1)';
    } else if (suffix === 'weight' && layer.kind === 'dense') {
      layout = 'IO';
      pytorch = 'w.T';
      const flattened = flattenInputs.get(layer.inputs[0] ?? '');
      if (flattened !== undefined && flattened.length === 3) {
        const [h, w, c] = flattened;
        pytorch = `w.reshape(${h}, ${w}, ${c}, ${layer.units}).transpose(3, 2, 0, 1).reshape(${layer.units}, ${input[0]})`;
      }
    }
    return { name, shape: known.shape, layout, trainable: known.trainable, pytorch };
  });
}

export function describeArchitecture(
  spec: ModelSpec,
  registry: ArchitectureRegistry = architectures,
): ArchitectureDescription {
  validateModelSpec(spec);
  const definition = registry.get(spec.architecture);
  const parameters = definition.parameters(spec).map((p) => ({
    name: p.name,
    shape: p.shape,
    trainable: p.trainable ?? true,
  }));
  const common = {
    format: ARCHITECTURE_FORMAT,
    version: 1 as const,
    architecture: spec.architecture,
    description: definition.description,
    inputShape: spec.inputShape,
    numClasses: spec.numClasses,
    conventions: CONVENTIONS,
    parameters,
    // Every architecture takes NHWC float32 pixels in [0, 1].
    input: {
      layout: 'NHWC' as const,
      dtype: 'float32' as const,
      range: [0, 1] as [number, number],
    },
  };
  if ('instantiate' in definition) {
    const layers = layersDescriptionOf(spec);
    const configLayers = Array.isArray(layers.config['layers'])
      ? (layers.config['layers'] as unknown[])
      : [];
    return {
      ...common,
      layers: [],
      layersModel: {
        className: layers.className,
        layers: configLayers.map((entry) => {
          const record = (entry ?? {}) as {
            className?: unknown;
            name?: unknown;
            config?: { name?: unknown };
          };
          return {
            name: String(record.name ?? record.config?.name ?? ''),
            className: String(record.className ?? ''),
          };
        }),
      },
      representation: layers.logitsLayer,
      logits: layers.logitsLayer,
    };
  }
  if (definition.graph === undefined) {
    throw new Error(`architecture ${spec.architecture} has no layer graph to describe`);
  }
  const graph = definition.graph(spec);
  const shapes = graphShapes(spec, graph);
  const flattenInputs = new Map(
    graph.layers
      .filter((l) => l.kind === 'flatten')
      .map((l) => [l.id, shapes.get(l.inputs[0] ?? GRAPH_INPUT) ?? []]),
  );
  const byName = new Map(parameters.map((p) => [p.name, p]));
  return {
    ...common,
    layers: graph.layers.map((layer) => ({
      ...layer,
      outputShape: shapes.get(layer.id) ?? [],
      parameters: describeParameters(layer, shapes, byName, flattenInputs),
    })),
    layersModel: null,
    representation: graph.representation,
    logits: graph.layers.at(-1)?.id ?? '',
  };
}

/** The weights must be exactly the architecture's (names and shapes) to be exported with it. */
export function checkWeightsMatch(
  description: ArchitectureDescription,
  weights: readonly WeightTensor[],
): void {
  const given = new Map(weights.map((w) => [w.name, w]));
  for (const parameter of description.parameters) {
    weightFor(parameter, given, description.architecture);
  }
  if (given.size !== description.parameters.length) {
    const extra = weights.filter((w) => !description.parameters.some((p) => p.name === w.name));
    throw new Error(
      `weights not part of ${description.architecture}: ${extra.map((w) => w.name).join(', ')}`,
    );
  }
}
