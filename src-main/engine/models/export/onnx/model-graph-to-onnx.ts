/**
 * A ModelGraph (the architecture's layers as data, NHWC) written as an ONNX graph in ONNX's
 * NCHW layout, layer by layer:
 *   input        → graph input 'images' [N, C, H, W], float32 in [0, 1]
 *   rescale      → Mul(x, scale) → Add(·, offset)        (the zoo's x ↦ 2x − 1, exactly)
 *   conv2d       → Conv(x, W OIHW[, B]) [→ Relu]         pads from the engine's padding:
 *                  p → [p, p, p, p]; 'valid' → 0; 'same' per axis: total = max((⌈H/s⌉ − 1)·s +
 *                  k − H, 0), ⌊total/2⌋ before and the rest after (TensorFlow's rule)
 *   max-pool     → MaxPool (no padding, floor: TensorFlow's 'valid')
 *   flatten      → Flatten(axis 1), which reads NCHW in (c, h, w) order; see below
 *   dense        → Gemm(x, W [out, in], b, transB = 1) [→ Relu]   (PyTorch's nn.Linear)
 *   batch-norm   → BatchNormalization (inference; ε; ONNX momentum = 1 − PyTorch's)
 *   relu → Relu   add → Add   global-average-pool → GlobalAveragePool → Flatten: [N, C]
 * The last layer's output is the graph output 'logits' [N, K].
 *
 * Flatten order. The engine flattens [H, W, C] in (h, w, c) order. Rather than a Transpose to
 * NHWC before every Flatten (a runtime copy and a graph PyTorch would never write), the first
 * dense layer's rows are permuted once into (c, h, w) order (weight-layouts.ts), so the file
 * holds exactly the weights a PyTorch nn.Flatten → nn.Linear would. Only where a flatten feeds
 * something other than dense layers (no built-in architecture does) does it fall back to
 * Transpose [0, 2, 3, 1] → Flatten.
 */
import type { ModelSpec, WeightTensor } from '../../../engine-types';
import { graphShapes } from '../../graph-shapes';
import { GRAPH_INPUT, type GraphLayer, type ModelGraph } from '../../model-graph';
import type { Encodable, GraphProto, NodeProto, TensorProto } from '../../onnx/onnx-proto';
import {
  floatAttribute,
  floatTensor,
  floatValueInfo,
  intAttribute,
  intsAttribute,
  node,
} from './onnx-nodes';
import { convKernelToOihw, denseKernelToGemm } from './weight-layouts';

export const ONNX_INPUT = 'images';
export const ONNX_OUTPUT = 'logits';

type Nodes = Encodable<NodeProto>[];

interface Builder {
  nodes: Nodes;
  initializers: Encodable<TensorProto>[];
  weights: ReadonlyMap<string, WeightTensor>;
}

function weight(builder: Builder, name: string): WeightTensor {
  const found = builder.weights.get(name);
  if (found === undefined) throw new Error(`weight ${name} is missing`);
  return found;
}

/** Adds an initializer holding the weight as it is (vectors: biases, BatchNorm statistics). */
function vector(builder: Builder, name: string): string {
  const w = weight(builder, name);
  builder.initializers.push(floatTensor(name, w.shape, w.data));
  return name;
}

function scalar(builder: Builder, name: string, value: number): string {
  builder.initializers.push(floatTensor(name, [], Float32Array.of(value)));
  return name;
}

/** [top, left, bottom, right] padding of a conv over an [h, w] input. */
function convPads(
  layer: Extract<GraphLayer, { kind: 'conv2d' }>,
  [h, w]: readonly number[],
): number[] {
  const padding = layer.padding;
  if (padding === 'valid') return [0, 0, 0, 0];
  if (typeof padding === 'number') return [padding, padding, padding, padding];
  const total = (size: number) =>
    Math.max((Math.ceil(size / layer.strides) - 1) * layer.strides + layer.kernel - size, 0);
  const [th, tw] = [total(h ?? 0), total(w ?? 0)];
  return [Math.floor(th / 2), Math.floor(tw / 2), th - Math.floor(th / 2), tw - Math.floor(tw / 2)];
}

/** The layer's ReLU, when it has one, from its linear value to its output value. */
function activated(
  builder: Builder,
  layer: { id: string; activation: 'relu' | 'linear' },
  linear: string,
  output: string,
): void {
  if (layer.activation === 'relu') {
    builder.nodes.push(node('Relu', `${layer.id}.relu`, [linear], [output]));
  }
}

/** The dense layers' (h, w, c) row orders, and the flattens that need a Transpose instead. */
function planFlattens(graph: ModelGraph, shapes: ReadonlyMap<string, number[]>) {
  const rowOrder = new Map<string, [number, number, number]>();
  const transposed = new Set<string>();
  const isLast = (id: string) => graph.layers.at(-1)?.id === id;
  for (const flatten of graph.layers.filter((l) => l.kind === 'flatten')) {
    const input = shapes.get(flatten.inputs[0] ?? GRAPH_INPUT) ?? [];
    if (input.length !== 3) continue;
    const consumers = graph.layers.filter((l) => l.inputs.includes(flatten.id));
    if (
      !isLast(flatten.id) &&
      consumers.every((l) => l.kind === 'dense' && l.inputs.length === 1)
    ) {
      for (const dense of consumers) rowOrder.set(dense.id, input as [number, number, number]);
    } else {
      transposed.add(flatten.id);
    }
  }
  return { rowOrder, transposed };
}

export interface OnnxGraphOptions {
  spec: ModelSpec;
  graph: ModelGraph;
  /** The architecture's weights in the engine's layouts, by name. */
  weights: ReadonlyMap<string, WeightTensor>;
  name: string;
  docString: string;
}

export function modelGraphToOnnx(options: OnnxGraphOptions): Encodable<GraphProto> {
  const { spec, graph } = options;
  const shapes = graphShapes(spec, graph);
  const { rowOrder, transposed } = planFlattens(graph, shapes);
  const builder: Builder = { nodes: [], initializers: [], weights: options.weights };
  const last = graph.layers.at(-1);
  if (last === undefined) throw new Error(`${spec.architecture} has no layers`);
  const valueOf = (id: string) =>
    id === GRAPH_INPUT ? ONNX_INPUT : id === last.id ? ONNX_OUTPUT : id;

  for (const layer of graph.layers) {
    const inputs = layer.inputs.map(valueOf);
    const [x = ''] = inputs;
    const out = valueOf(layer.id);
    const nodes = builder.nodes;
    switch (layer.kind) {
      case 'rescale': {
        const scale = scalar(builder, `${layer.id}.scale`, layer.scale);
        const offset = scalar(builder, `${layer.id}.offset`, layer.offset);
        nodes.push(node('Mul', `${layer.id}.mul`, [x, scale], [`${layer.id}.scaled`]));
        nodes.push(node('Add', `${layer.id}.add`, [`${layer.id}.scaled`, offset], [out]));
        break;
      }
      case 'conv2d': {
        const kernel = weight(builder, `${layer.weights}.weight`);
        const oihw = convKernelToOihw(kernel.data, kernel.shape);
        builder.initializers.push(floatTensor(kernel.name, oihw.shape, oihw.data));
        const operands = [x, kernel.name];
        if (layer.bias) operands.push(vector(builder, `${layer.weights}.bias`));
        const linear = layer.activation === 'relu' ? `${layer.id}.linear` : out;
        const input = shapes.get(layer.inputs[0] ?? GRAPH_INPUT) ?? [];
        nodes.push(
          node(
            'Conv',
            layer.id,
            operands,
            [linear],
            [
              intsAttribute('kernel_shape', [layer.kernel, layer.kernel]),
              intsAttribute('strides', [layer.strides, layer.strides]),
              intsAttribute('pads', convPads(layer, input)),
              intsAttribute('dilations', [1, 1]),
              intAttribute('group', 1),
            ],
          ),
        );
        activated(builder, layer, linear, out);
        break;
      }
      case 'max-pool':
        nodes.push(
          node(
            'MaxPool',
            layer.id,
            [x],
            [out],
            [
              intsAttribute('kernel_shape', [layer.size, layer.size]),
              intsAttribute('strides', [layer.strides, layer.strides]),
            ],
          ),
        );
        break;
      case 'flatten': {
        let source = x;
        if (transposed.has(layer.id)) {
          source = `${layer.id}.nhwc`;
          nodes.push(
            node(
              'Transpose',
              `${layer.id}.transpose`,
              [x],
              [source],
              [intsAttribute('perm', [0, 2, 3, 1])],
            ),
          );
        }
        nodes.push(node('Flatten', layer.id, [source], [out], [intAttribute('axis', 1)]));
        break;
      }
      case 'dense': {
        const kernel = weight(builder, `${layer.weights}.weight`);
        const gemm = denseKernelToGemm(kernel.data, kernel.shape, rowOrder.get(layer.id));
        builder.initializers.push(floatTensor(kernel.name, gemm.shape, gemm.data));
        const bias = vector(builder, `${layer.weights}.bias`);
        const linear = layer.activation === 'relu' ? `${layer.id}.linear` : out;
        nodes.push(
          node('Gemm', layer.id, [x, kernel.name, bias], [linear], [intAttribute('transB', 1)]),
        );
        activated(builder, layer, linear, out);
        break;
      }
      case 'batch-norm': {
        const operands = ['weight', 'bias', 'running_mean', 'running_var'].map((s) =>
          vector(builder, `${layer.weights}.${s}`),
        );
        nodes.push(
          node(
            'BatchNormalization',
            layer.id,
            [x, ...operands],
            [out],
            [
              floatAttribute('epsilon', layer.epsilon),
              floatAttribute('momentum', 1 - layer.momentum),
            ],
          ),
        );
        break;
      }
      case 'relu':
        nodes.push(node('Relu', layer.id, [x], [out]));
        break;
      case 'add':
        nodes.push(node('Add', layer.id, inputs, [out]));
        break;
      case 'global-average-pool':
        nodes.push(node('GlobalAveragePool', layer.id, [x], [`${layer.id}.nchw`]));
        nodes.push(
          node(
            'Flatten',
            `${layer.id}.flatten`,
            [`${layer.id}.nchw`],
            [out],
            [intAttribute('axis', 1)],
          ),
        );
        break;
    }
  }
  const used = new Set(builder.initializers.map((t) => t.name));
  const unused = [...options.weights.keys()].filter((name) => !used.has(name));
  if (unused.length > 0) throw new Error(`weights no layer reads: ${unused.join(', ')}`);
  const [h, w, c] = spec.inputShape;
  return {
    name: options.name,
    docString: options.docString,
    node: builder.nodes,
    initializer: builder.initializers,
    input: [floatValueInfo(ONNX_INPUT, ['N', c, h, w])],
    output: [floatValueInfo(ONNX_OUTPUT, ['N', spec.numClasses])],
  };
}
