/**
 * An ONNX model in the form the project stores it (onnx-model-description.ts): structure and
 * weights apart at import, put back together and translated in whichever worker runs the model.
 *
 * The Model's forward, for images x [N,H,W,C] in [0,1]:
 *   x' = low + (high − low)·x               (the input range the model expects; [0,1]: none)
 *   {logits z [N,K], r} = graph(x')          (NHWC in, see translate-graph.ts)
 *   representation = r as [N, D]             ([N,C,H,W] values flattened in ONNX's C,H,W order)
 */
import * as tf from '@tensorflow/tfjs-core';
import type { OnnxProvenance } from '../../../common/onnx-provenance-schemas';
import type { WeightTensor } from '../../engine-types';
import { doubleTensor, floatTensor } from '../export/onnx/onnx-nodes';
import type { ModelOutput } from '../model-types';
import { isFloatInitializer } from './onnx-file-facts';
import type { OnnxModelDescription, OnnxWeight } from './onnx-model-description';
import { decodeModel, encodeModel, type Encodable, type ModelProto } from './onnx-proto';
import { hostTensor, OnnxDataType, type HostTensor } from './onnx-tensor';
import { translateGraph, type OnnxGraph } from './translate-graph';

export interface SplitModel {
  /** The ModelProto without its float initializers, protobuf bytes as base64. */
  structure: string;
  /** The float initializers, in the file's order, ONNX shapes. */
  weights: WeightTensor[];
  /** The same, as the description lists them (name, shape, and a DOUBLE one's file type). */
  described: OnnxWeight[];
}

/** Takes the float initializers out of the model (they become the stored weights). */
export function splitWeights(model: ModelProto): SplitModel {
  const graph = model.graph;
  if (graph === undefined) throw new Error('not an ONNX model: it has no graph');
  const weights: WeightTensor[] = [];
  const described: OnnxWeight[] = [];
  const kept = graph.initializer.filter((initializer) => {
    if (!isFloatInitializer(initializer.dataType)) return true;
    const host = hostTensor(initializer);
    if (host.kind !== 'float') return true;
    const name = initializer.name ?? '';
    weights.push({ name, shape: host.dims, data: host.values });
    described.push({
      name,
      shape: host.dims,
      ...(initializer.dataType === OnnxDataType.double ? { fileType: 'double' as const } : {}),
    });
    return false;
  });
  const structure = encodeModel({ ...model, graph: { ...graph, initializer: kept } });
  return { structure: Buffer.from(structure).toString('base64'), weights, described };
}

/**
 * The inverse of splitWeights: the stored structure with the weights put back as initializers,
 * the ModelProto of the imported file as far as the stored form says (the ONNX export of an
 * imported model writes it). The weights are the stored ones as they are — ONNX shapes and
 * element order, never converted to the engine's layout (the translation converts its own copy
 * in each worker) — so the values are the file's bit for bit (FLOAT ones; DOUBLE: see below),
 * written back as raw_data.
 * What the stored form does not keep, and why it does not change the function:
 *   - the initializers' order: the weights come first (in the file's order), then the integer
 *     initializers the structure kept; ONNX initializers are looked up by name, not position;
 *   - float_data vs raw_data (double_data): the same values, stored one way or the other;
 *   - a DOUBLE initializer was narrowed to float32 at import (onnx-tensor.ts), the values the
 *     workbench computes with: it is written back as DOUBLE holding those values, so the graph's
 *     types are the file's and its function is the workbench's (the digits beyond float32 are
 *     gone). A model imported before the type was recorded (no fileType) gets FLOAT: the same
 *     for every graph that only Casts such a constant to float, which is where a float image
 *     classifier can use one.
 * Throws unless the weights are exactly the description's: the same names and shapes.
 */
export function joinWeights(
  description: OnnxModelDescription,
  weights: readonly WeightTensor[],
): Encodable<ModelProto> {
  const model = decodeModel(Buffer.from(description.structure, 'base64'));
  const graph = model.graph;
  if (graph === undefined) throw new Error('the stored ONNX structure has no graph');
  const byName = new Map(weights.map((w) => [w.name, w]));
  const expected = new Set(description.weights.map((w) => w.name));
  const extra = [...byName.keys()].filter((name) => !expected.has(name));
  if (extra.length > 0)
    throw new Error(`weights the ONNX graph does not read: ${extra.join(', ')}`);
  const initializers = description.weights.map(({ name, shape, fileType }) => {
    const weight = byName.get(name);
    if (weight === undefined) throw new Error(`weight ${name} is missing`);
    if (weight.shape.join(',') !== shape.join(',')) {
      throw new Error(
        `weight ${name} has shape [${weight.shape.join(', ')}]; the ONNX graph reads [${shape.join(', ')}]`,
      );
    }
    return fileType === 'double'
      ? doubleTensor(name, shape, weight.data)
      : floatTensor(name, shape, weight.data);
  });
  return { ...model, graph: { ...graph, initializer: [...initializers, ...graph.initializer] } };
}

/**
 * The graph of a stored model, translated with its weights (by name, ONNX shapes); the caller
 * disposes it. Outputs: the logits output and the representation value.
 */
export function translateStored(
  description: OnnxModelDescription,
  weights: ReadonlyMap<string, Float32Array>,
): OnnxGraph {
  const model = decodeModel(Buffer.from(description.structure, 'base64'));
  const initializers = new Map<string, HostTensor>();
  for (const { name, shape } of description.weights) {
    const values = weights.get(name);
    if (values === undefined) throw new Error(`weight ${name} is missing`);
    initializers.set(name, { kind: 'float', dims: shape, values });
  }
  return translateGraph(model, {
    inputLayout: 'nhwc',
    stripOutputSoftmax: true,
    initializers,
    extraOutputs: [description.provenance.representation.value],
  });
}

/** Logits and the flattened representation of [0,1] images (see the file comment). */
export function runStored(
  graph: OnnxGraph,
  provenance: OnnxProvenance,
  images: tf.Tensor4D,
): ModelOutput {
  return tf.tidy(() => {
    const [low, high] = provenance.inputRange;
    const x = low === 0 && high === 1 ? images : tf.add(tf.mul(images, high - low), low);
    const out = graph.run(new Map([[provenance.inputName, x]]));
    const logits = out.get(provenance.logitsOutput);
    const representation = out.get(provenance.representation.value);
    if (logits === undefined || representation === undefined) {
      throw new Error('the ONNX graph did not give its logits and representation');
    }
    if (logits.rank !== 2) {
      throw new Error(
        `the output ${provenance.logitsOutput} has shape [${logits.shape.join(', ')}]; logits are [N, classes]`,
      );
    }
    const n = images.shape[0];
    return {
      logits: logits as tf.Tensor2D,
      representation: tf.reshape(representation, [n, -1]) as tf.Tensor2D,
    };
  });
}
