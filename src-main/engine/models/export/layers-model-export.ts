/**
 * A workbench model as a TensorFlow.js layers model (model.json + weights.bin, the files
 * tf.loadLayersModel reads), built layer by layer from the architecture's graph:
 *   rescale → Rescaling(scale, offset)        conv2d → [ZeroPadding2D(p)] Conv2D (HWIO kernel)
 *   max-pool → MaxPooling2D                   flatten → Flatten (same (h, w, c) order)
 *   dense → Dense (IO kernel)                 batch-norm → BatchNormalization(momentum 1 − ours)
 *   relu → ReLU   add → Add                   global-average-pool → GlobalAveragePooling2D
 * The exported model takes NHWC images in [0,1] and outputs logits (no softmax), like the
 * workbench model. An imported tfjs-layers model is exported as its rebuilt self (without the
 * softmax the import took off, and still expecting its own input range: see userDefinedMetadata).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { ModelSpec, WeightTensor } from '../../engine-types';
import { architectures, type ArchitectureRegistry } from '../architecture-registry';
import { rebuildLayersModel } from '../layers-model/layers-architecture';
import { layersLibrary } from '../layers-model/layers-library';
import { layersDescriptionOf } from '../layers-model/layers-model-description';
import { GRAPH_INPUT, walkGraph, type GraphLayer, type ModelGraph } from '../model-graph';
import { checkWeightsMatch, describeArchitecture } from './architecture-description';

type Symbolic = tfl.SymbolicTensor;

function applyLayer(library: typeof tfl, layer: GraphLayer, inputs: Symbolic[]): Symbolic {
  const layers = library.layers;
  const [x] = inputs;
  if (x === undefined) throw new Error(`${layer.id} has no input`);
  const one = (l: tfl.layers.Layer, input: Symbolic | Symbolic[]): Symbolic =>
    l.apply(input) as Symbolic;
  switch (layer.kind) {
    case 'rescale':
      return one(layers.rescaling({ name: layer.id, scale: layer.scale, offset: layer.offset }), x);
    case 'conv2d': {
      const padded =
        typeof layer.padding === 'number' && layer.padding > 0
          ? one(layers.zeroPadding2d({ name: `${layer.id}.pad`, padding: layer.padding }), x)
          : x;
      return one(
        layers.conv2d({
          name: layer.id,
          filters: layer.filters,
          kernelSize: layer.kernel,
          strides: layer.strides,
          padding: layer.padding === 'same' ? 'same' : 'valid',
          useBias: layer.bias,
          activation: layer.activation,
        }),
        padded,
      );
    }
    case 'max-pool':
      return one(
        layers.maxPooling2d({ name: layer.id, poolSize: layer.size, strides: layer.strides }),
        x,
      );
    case 'flatten':
      return one(layers.flatten({ name: layer.id }), x);
    case 'dense':
      return one(
        layers.dense({ name: layer.id, units: layer.units, activation: layer.activation }),
        x,
      );
    case 'batch-norm':
      return one(
        layers.batchNormalization({
          name: layer.id,
          axis: -1,
          epsilon: layer.epsilon,
          momentum: 1 - layer.momentum,
        }),
        x,
      );
    case 'relu':
      return one(layers.reLU({ name: layer.id }), x);
    case 'add':
      return one(layers.add({ name: layer.id }), inputs);
    case 'global-average-pool':
      return one(layers.globalAveragePooling2d({ name: layer.id }), x);
  }
}

/** The weights a graph layer's tfjs-layers counterpart takes, in its setWeights order. */
function layerWeightNames(layer: GraphLayer): string[] {
  if (!('weights' in layer)) return [];
  if (layer.kind === 'batch-norm') {
    return ['weight', 'bias', 'running_mean', 'running_var'].map((s) => `${layer.weights}.${s}`);
  }
  if (layer.kind === 'conv2d' && !layer.bias) return [`${layer.weights}.weight`];
  return [`${layer.weights}.weight`, `${layer.weights}.bias`];
}

function fromGraph(
  spec: ModelSpec,
  graph: ModelGraph,
  weights: ReadonlyMap<string, WeightTensor>,
): tfl.LayersModel {
  const library = layersLibrary();
  const input = library.input({ name: GRAPH_INPUT, shape: [...spec.inputShape] });
  const outputs = walkGraph<Symbolic>(graph, input, (layer, inputs) =>
    applyLayer(library, layer, inputs),
  );
  const logits = outputs.get(graph.layers.at(-1)?.id ?? '');
  if (logits === undefined) throw new Error(`${spec.architecture} has no layers`);
  const model = library.model({ name: spec.architecture, inputs: input, outputs: logits });
  for (const layer of graph.layers) {
    const names = layerWeightNames(layer);
    if (names.length === 0) continue;
    const values = names.map((name) => {
      const weight = weights.get(name);
      if (weight === undefined) throw new Error(`weight ${name} is missing`);
      return tf.tensor(weight.data, weight.shape, 'float32');
    });
    model.getLayer(layer.id).setWeights(values);
    tf.dispose(values);
  }
  return model;
}

/**
 * The model as a tfjs-layers LayersModel with these weights; the caller disposes it. Weight
 * names and shapes are checked against the architecture first.
 */
export function toLayersModel(
  spec: ModelSpec,
  weights: readonly WeightTensor[],
  registry: ArchitectureRegistry = architectures,
): tfl.LayersModel {
  checkWeightsMatch(describeArchitecture(spec, registry), weights);
  const byName = new Map(weights.map((w) => [w.name, w]));
  const definition = registry.get(spec.architecture);
  if (!('instantiate' in definition)) {
    if (definition.graph === undefined) {
      throw new Error(`architecture ${spec.architecture} has no layer graph to export`);
    }
    return fromGraph(spec, definition.graph(spec), byName);
  }
  const model = rebuildLayersModel(layersDescriptionOf(spec));
  for (const weight of model.weights) {
    const given = byName.get(weight.originalName);
    if (given === undefined) throw new Error(`weight ${weight.originalName} is missing`);
    const value = tf.tensor(given.data, given.shape, 'float32');
    weight.write(value);
    value.dispose();
  }
  return model;
}

export interface LayersModelFiles {
  modelJson: string;
  weightsBin: string;
}

/** What the exported model.json says about itself under userDefinedMetadata.workbench. */
export interface WorkbenchLayersMetadata {
  architecture: string;
  inputShape: [number, number, number];
  numClasses: number;
  /** The pixel range the exported model expects ([0,1] for every built-in architecture). */
  inputRange: [number, number];
  outputs: 'logits';
}

/**
 * Writes `<directory>/model.json` and `<directory>/weights.bin` (the directory is created if
 * needed). model.json is tfjs' ModelJSON: modelTopology, format 'layers-model', and one
 * weightsManifest group whose path is relative to model.json.
 */
export async function saveLayersModel(
  directory: string,
  spec: ModelSpec,
  weights: readonly WeightTensor[],
): Promise<LayersModelFiles> {
  const model = toLayersModel(spec, weights);
  const inputRange: [number, number] =
    spec.architecture === 'tfjs-layers' ? layersDescriptionOf(spec).inputRange : [0, 1];
  const metadata: WorkbenchLayersMetadata = {
    architecture: spec.architecture,
    inputShape: spec.inputShape,
    numClasses: spec.numClasses,
    inputRange,
    outputs: 'logits',
  };
  const files = {
    modelJson: join(directory, 'model.json'),
    weightsBin: join(directory, 'weights.bin'),
  };
  try {
    let artifacts: tf.io.ModelArtifacts | null = null;
    await model.save(
      tf.io.withSaveHandler(async (saved) => {
        artifacts = saved;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const saved = artifacts as tf.io.ModelArtifacts | null;
    if (saved === null || saved.weightData === undefined || saved.weightSpecs === undefined) {
      throw new Error('tfjs-layers saved no weights');
    }
    const weightBytes = tf.io.CompositeArrayBuffer.join(saved.weightData);
    const modelJson = {
      modelTopology: saved.modelTopology,
      format: saved.format ?? 'layers-model',
      generatedBy: saved.generatedBy,
      convertedBy: null,
      weightsManifest: [{ paths: ['weights.bin'], weights: saved.weightSpecs }],
      userDefinedMetadata: { workbench: metadata },
    };
    await mkdir(directory, { recursive: true });
    await writeFile(files.weightsBin, new Uint8Array(weightBytes));
    await writeFile(files.modelJson, `${JSON.stringify(modelJson)}\n`);
    return files;
  } finally {
    model.dispose();
  }
}
