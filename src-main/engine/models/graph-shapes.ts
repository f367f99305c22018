/**
 * Output shape of every layer of a ModelGraph, per example (no batch axis), for input [H,W,C]:
 *   conv2d k×k, stride s: 'same' → ⌈H/s⌉;  'valid' → ⌊(H − k)/s⌋ + 1;  padding p → ⌊(H + 2p − k)/s⌋ + 1
 *   max-pool n, stride s ('valid'): ⌊(H − n)/s⌋ + 1;   flatten → [H·W·C];   dense → [units]
 *   global-average-pool → [C];   rescale, batch-norm, relu → unchanged;   add → its inputs' (equal)
 */
import type { ModelSpec } from '../engine-types';
import { walkGraph, type GraphLayer, type ModelGraph } from './model-graph';

function extent(
  size: number,
  kernel: number,
  strides: number,
  padding: 'same' | 'valid' | number,
): number {
  if (padding === 'same') return Math.ceil(size / strides);
  const pad = padding === 'valid' ? 0 : padding;
  return Math.floor((size + 2 * pad - kernel) / strides) + 1;
}

function outputShape(layer: GraphLayer, inputs: number[][]): number[] {
  const [first = []] = inputs;
  const [h = 0, w = 0, c = 0] = first;
  switch (layer.kind) {
    case 'conv2d':
      return [
        extent(h, layer.kernel, layer.strides, layer.padding),
        extent(w, layer.kernel, layer.strides, layer.padding),
        layer.filters,
      ];
    case 'max-pool':
      return [
        extent(h, layer.size, layer.strides, 'valid'),
        extent(w, layer.size, layer.strides, 'valid'),
        c,
      ];
    case 'flatten':
      return [first.reduce((a, b) => a * b, 1)];
    case 'dense':
      return [layer.units];
    case 'global-average-pool':
      return [c];
    case 'add':
      for (const other of inputs) {
        if (other.join('x') !== first.join('x')) {
          throw new Error(
            `${layer.id} adds shapes [${first.join(', ')}] and [${other.join(', ')}]`,
          );
        }
      }
      return first;
    case 'rescale':
    case 'batch-norm':
    case 'relu':
      return first;
  }
}

export function graphShapes(spec: ModelSpec, graph: ModelGraph): Map<string, number[]> {
  return walkGraph(graph, [...spec.inputShape], (layer, inputs) => {
    const shape = outputShape(layer, inputs);
    if (shape.some((n) => !(n >= 1))) {
      throw new Error(
        `${layer.id} would output shape [${shape.join(', ')}] for input ${spec.inputShape.join('×')}`,
      );
    }
    return shape;
  });
}
