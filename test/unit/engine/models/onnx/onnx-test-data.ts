/** Reading the ONNX project's backend test cases (Debian's libonnx-testdata). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import {
  decodeModel,
  decodeTensor,
  type ModelProto,
} from '../../../../../src-main/engine/models/onnx/onnx-proto';
import {
  hostTensor,
  type HostTensor,
} from '../../../../../src-main/engine/models/onnx/onnx-tensor';
import {
  translateGraph,
  type OnnxGraph,
} from '../../../../../src-main/engine/models/onnx/translate-graph';

export const testDataRoot = '/usr/share/libonnx-testdata/data';

/** The 2-D convolutions of the suite's PyTorch-converted set (plain, depthwise, grouped, dilated). */
export const pytorchConv2dCases = [
  'pytorch-converted/test_Conv2d',
  'pytorch-converted/test_Conv2d_depthwise',
  'pytorch-converted/test_Conv2d_depthwise_padded',
  'pytorch-converted/test_Conv2d_depthwise_strided',
  'pytorch-converted/test_Conv2d_depthwise_with_multiplier',
  'pytorch-converted/test_Conv2d_dilated',
  'pytorch-converted/test_Conv2d_groups',
  'pytorch-converted/test_Conv2d_groups_thnn',
  'pytorch-converted/test_Conv2d_no_bias',
  'pytorch-converted/test_Conv2d_padding',
  'pytorch-converted/test_Conv2d_strided',
];

export interface BackendCase {
  model: ModelProto;
  /** the graph's non-initializer inputs, in order, with their test values */
  inputs: { name: string; value: HostTensor }[];
  outputs: { name: string; value: HostTensor }[];
}

function readTensors(directory: string, prefix: string): HostTensor[] {
  return readdirSync(directory)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.pb'))
    .sort((a, b) => Number(a.slice(prefix.length, -3)) - Number(b.slice(prefix.length, -3)))
    .map((f) => hostTensor(decodeTensor(readFileSync(join(directory, f)))));
}

export function readCase(path: string): BackendCase {
  const model = decodeModel(readFileSync(join(testDataRoot, path, 'model.onnx')));
  const data = join(testDataRoot, path, 'test_data_set_0');
  const graph = model.graph;
  if (graph === undefined || !existsSync(data)) throw new Error(`${path}: no graph or data`);
  const initialized = new Set(graph.initializer.map((t) => t.name));
  const inputNames = graph.input.map((i) => i.name ?? '').filter((n) => !initialized.has(n));
  const inputValues = readTensors(data, 'input_');
  const outputValues = readTensors(data, 'output_');
  return {
    model,
    inputs: inputNames.map((name, i) => ({ name, value: inputValues[i] as HostTensor })),
    outputs: graph.output.map((o, i) => ({
      name: o.name ?? '',
      value: outputValues[i] as HostTensor,
    })),
  };
}

/**
 * The case's graph translated as the test runs it: in ONNX's own layout at the boundary, the
 * first input fed at run time, every further input (weights, shapes, bounds) a constant at import.
 */
export function translateCase(backendCase: BackendCase): OnnxGraph {
  return translateGraph(backendCase.model, {
    inputLayout: 'onnx',
    stripOutputSoftmax: false,
    constantInputs: new Map(backendCase.inputs.slice(1).map((i) => [i.name, i.value])),
  });
}

export function toTensor(value: HostTensor): tf.Tensor {
  return value.kind === 'float'
    ? tf.tensor(value.values, value.dims, 'float32')
    : tf.tensor(value.values, value.dims, 'int32');
}
