/**
 * Imports a TensorFlow.js layers model from disk (model.json + its weight .bin files) as a
 * workbench model of architecture 'tfjs-layers': a spec carrying the layers description, and the
 * weights as WeightTensor[] (float32; quantized weights are dequantized).
 *
 * What the workbench needs from the model, checked here with a message for each failure:
 *   one input, [N,H,W,C] (or [N,D] with options.imageShape = [H,W,C], H·W·C = D);
 *   one output, produced by a Dense layer (the logits layer) with a linear or softmax activation,
 *   possibly followed by softmax-only layers (Softmax, Activation('softmax')), which are set
 *   aside: the workbench works on logits; the logits layer's input is the representation, a
 *   vector per image; at least 2 classes;
 *   a gradient with respect to the input (attacks need it), checked on two random images.
 * The input range is not in the file: options.inputRange says what the model was trained on
 * ([0,1] by default); a leading Rescaling layer is reported in the notes.
 */
import { readFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { LayersModelSpec, WeightTensor } from '../../engine-types';
import { importWeights } from '../model-weights';
import { layersLibrary } from './layers-library';
import type { LayersModelDescription } from './layers-model-description';
import { locateWeightFiles } from './weight-files';

export interface LayersImportOptions {
  /** Pixel range the model was trained on, e.g. [0, 255] or [-1, 1]. Default [0, 1]. */
  inputRange?: [number, number];
  /** For models taking flat vectors [N, D]: the image shape [H, W, C], H·W·C = D (NHWC order). */
  imageShape?: [number, number, number];
}

export interface ImportedLayersModel {
  spec: LayersModelSpec;
  weights: WeightTensor[];
  /** Facts the person importing should know (softmax removed, a Rescaling layer, the range). */
  notes: string[];
}

interface ModelJsonFile {
  modelTopology: tf.io.ModelJSON['modelTopology'];
  weightsManifest: tf.io.WeightsManifestConfig;
  format?: string;
}

const SOFTMAX_ONLY = new Set(['Softmax']);

function fail(path: string, problem: string): never {
  throw new Error(`${path}: ${problem}`);
}

async function readModelJson(path: string): Promise<ModelJsonFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    fail(path, `cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    fail(path, 'is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null) fail(path, 'is not a model.json object');
  const json = parsed as Partial<ModelJsonFile>;
  if (json.format === 'graph-model') {
    fail(
      path,
      'is a TensorFlow.js graph model; only layers models (format "layers-model") can be imported',
    );
  }
  if (json.modelTopology === undefined || json.modelTopology === null)
    fail(path, 'has no modelTopology');
  if (!Array.isArray(json.weightsManifest)) fail(path, 'has no weightsManifest');
  return json as ModelJsonFile;
}

async function readWeights(
  path: string,
  manifest: tf.io.WeightsManifestConfig,
): Promise<tf.NamedTensorMap> {
  const buffers: ArrayBuffer[] = [];
  // Inside the model's folder, regular, and of the sizes the manifest declares (weight-files.ts).
  for (const file of locateWeightFiles(path, manifest)) {
    try {
      const bytes = await readFile(file.path);
      buffers.push(
        bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
      );
    } catch {
      fail(path, `its weight file ${file.name} cannot be read at ${file.path}`);
    }
  }
  const specs = manifest.flatMap((group) => group.weights);
  try {
    return tf.io.decodeWeights(tf.io.CompositeArrayBuffer.join(buffers), specs);
  } catch (error) {
    fail(
      path,
      `its weights do not match the manifest (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

function activationOf(layer: tfl.layers.Layer): string {
  const activation = layer.getConfig()['activation'];
  return typeof activation === 'string' ? activation : 'linear';
}

function singleInboundLayer(layer: tfl.layers.Layer, path: string): tfl.layers.Layer {
  const nodes = layer.inboundNodes;
  const inbound = nodes[0]?.inboundLayers ?? [];
  if (nodes.length !== 1 || inbound.length !== 1 || inbound[0] === undefined) {
    fail(
      path,
      `layer ${layer.name} must have exactly one input to sit between the logits and the output`,
    );
  }
  return inbound[0];
}

/** The Dense layer whose output is the logits, walking back over softmax-only layers. */
function findLogitsLayer(
  model: tfl.LayersModel,
  path: string,
): { layer: tfl.layers.Layer; softmaxLayers: number } {
  if (model.outputs.length !== 1)
    fail(path, `has ${model.outputs.length} outputs; a classifier has one`);
  let layer = model.outputs[0]?.sourceLayer as tfl.layers.Layer;
  let softmaxLayers = 0;
  while (
    SOFTMAX_ONLY.has(layer.getClassName()) ||
    (layer.getClassName() === 'Activation' && activationOf(layer) === 'softmax')
  ) {
    layer = singleInboundLayer(layer, path);
    softmaxLayers += 1;
  }
  if (layer.getClassName() !== 'Dense') {
    fail(
      path,
      `its output comes from ${layer.name} (${layer.getClassName()}); the workbench needs a final Dense layer`,
    );
  }
  const activation = activationOf(layer);
  if (activation !== 'linear' && activation !== 'softmax') {
    fail(
      path,
      `its last Dense layer ${layer.name} applies '${activation}'; the workbench needs logits (linear or softmax)`,
    );
  }
  return { layer, softmaxLayers };
}

function setLayerActivation(
  config: tf.serialization.ConfigDict,
  layerName: string,
  activation: string,
): void {
  const layers = config['layers'];
  if (!Array.isArray(layers)) throw new Error('the model config has no layer list');
  for (const entry of layers) {
    const layer = entry as { name?: string; config?: { name?: string; activation?: string } };
    if ((layer.name ?? layer.config?.name) === layerName && layer.config !== undefined) {
      layer.config.activation = activation;
      return;
    }
  }
  throw new Error(`layer ${layerName} is not in the model config`);
}

function inputShapeOf(
  model: tfl.LayersModel,
  path: string,
  options: LayersImportOptions,
): {
  inputShape: [number, number, number];
  flatInput: boolean;
} {
  if (model.inputs.length !== 1)
    fail(path, `has ${model.inputs.length} inputs; an image classifier has one`);
  const shape = model.inputs[0]?.shape ?? [];
  const [, h, w, c] = shape;
  if (
    shape.length === 4 &&
    typeof h === 'number' &&
    typeof w === 'number' &&
    typeof c === 'number'
  ) {
    if (options.imageShape !== undefined && options.imageShape.join('x') !== [h, w, c].join('x')) {
      fail(
        path,
        `takes images [${h}, ${w}, ${c}], not the given image shape [${options.imageShape.join(', ')}]`,
      );
    }
    return { inputShape: [h, w, c], flatInput: false };
  }
  if (shape.length === 2 && typeof h === 'number') {
    if (options.imageShape === undefined) {
      fail(
        path,
        `takes flat vectors of ${h} values; give the image shape [H, W, C] they come from`,
      );
    }
    const size = options.imageShape.reduce((a, b) => a * b, 1);
    if (size !== h) {
      fail(
        path,
        `takes ${h} values per image, but the image shape [${options.imageShape.join(', ')}] has ${size}`,
      );
    }
    return { inputShape: options.imageShape, flatInput: true };
  }
  fail(
    path,
    `has input shape [${shape.join(', ')}]; the workbench takes [N, H, W, C] images or [N, D] vectors`,
  );
}

function notesFor(
  model: tfl.LayersModel,
  description: LayersModelDescription,
  softmaxLayers: number,
): string[] {
  const notes: string[] = [];
  const [low, high] = description.inputRange;
  notes.push(`pixels in [0, 1] are mapped to [${low}, ${high}] before the model's first layer`);
  if (description.removedSoftmax)
    notes.push(
      `the softmax of ${description.logitsLayer} was taken off: the workbench works on logits`,
    );
  if (softmaxLayers > 0)
    notes.push(`${softmaxLayers} softmax layer(s) after ${description.logitsLayer} are not run`);
  const first = model.layers.find((layer) => layer.getClassName() !== 'InputLayer');
  if (first?.getClassName() === 'Rescaling') {
    const config = first.getConfig();
    notes.push(
      `the model starts with a Rescaling layer (scale ${String(config['scale'])}, offset ${String(config['offset'])}): ` +
        'check that the input range matches what it expects',
    );
  }
  return notes;
}

/** Throws unless a gradient of the logits w.r.t. the input can be computed (attacks need it). */
function checkInputGradient(spec: LayersModelSpec, weights: WeightTensor[], path: string): void {
  const model = importWeights(spec, weights);
  try {
    tf.tidy(() => {
      const images = tf.randomUniform([2, ...spec.inputShape], 0, 1, 'float32', 1) as tf.Tensor4D;
      const gradient = tf.grad((x: tf.Tensor) => tf.sum(model.forward(x as tf.Tensor4D).logits))(
        images,
      );
      if (!Number.isFinite(tf.sum(tf.abs(gradient)).dataSync()[0] ?? NaN)) {
        throw new Error('the input gradient is not finite');
      }
    });
  } catch (error) {
    fail(
      path,
      `its gradient w.r.t. the input cannot be computed (${error instanceof Error ? error.message : String(error)}); attacks need it`,
    );
  } finally {
    model.dispose();
  }
}

export async function importLayersModelFiles(
  modelJsonPath: string,
  options: LayersImportOptions = {},
): Promise<ImportedLayersModel> {
  const library = layersLibrary();
  const file = await readModelJson(modelJsonPath);
  const inputRange = options.inputRange ?? [0, 1];
  if (!(
    Number.isFinite(inputRange[0]) &&
    Number.isFinite(inputRange[1]) &&
    inputRange[0] < inputRange[1]
  )) {
    throw new Error(
      `the input range must be two finite numbers, low < high; got [${inputRange.join(', ')}]`,
    );
  }
  let parsed: tfl.LayersModel;
  try {
    parsed = await library.models.modelFromJSON({ modelTopology: file.modelTopology });
  } catch (error) {
    fail(
      modelJsonPath,
      `tfjs-layers cannot read its topology (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  let description: LayersModelDescription;
  let notes: string[];
  let numClasses: number;
  let shape: { inputShape: [number, number, number]; flatInput: boolean };
  try {
    shape = inputShapeOf(parsed, modelJsonPath, options);
    const { layer: logits, softmaxLayers } = findLogitsLayer(parsed, modelJsonPath);
    const representation = logits.input;
    if (Array.isArray(representation) || representation.shape.length !== 2) {
      fail(
        modelJsonPath,
        `the input of ${logits.name} must be one vector per image (the representation)`,
      );
    }
    const config = parsed.getConfig();
    const removedSoftmax = activationOf(logits) === 'softmax';
    if (removedSoftmax) setLayerActivation(config, logits.name, 'linear');
    numClasses = (logits.getConfig()['units'] as number | undefined) ?? 0;
    if (numClasses < 2)
      fail(
        modelJsonPath,
        `its logits layer ${logits.name} has ${numClasses} unit(s); a classifier needs 2`,
      );
    description = {
      className: parsed.getClassName(),
      config: JSON.parse(JSON.stringify(config)) as Record<string, unknown>,
      weights: parsed.weights.map((w) => ({
        name: w.originalName,
        shape: [...w.shape] as number[],
        trainable: w.trainable,
      })),
      inputRange,
      flatInput: shape.flatInput,
      logitsLayer: logits.name,
      removedSoftmax,
    };
    notes = notesFor(parsed, description, softmaxLayers);
  } finally {
    parsed.dispose();
  }
  const decoded = await readWeights(modelJsonPath, file.weightsManifest);
  const weights: WeightTensor[] = [];
  try {
    for (const weight of description.weights) {
      const tensor = decoded[weight.name];
      if (tensor === undefined) fail(modelJsonPath, `its weights lack ${weight.name}`);
      if (tensor.shape.join('x') !== weight.shape.join('x')) {
        fail(
          modelJsonPath,
          `weight ${weight.name} has shape [${tensor.shape.join(', ')}], the layer expects [${weight.shape.join(', ')}]`,
        );
      }
      weights.push({
        name: weight.name,
        shape: weight.shape,
        data: Float32Array.from(tensor.dataSync()),
      });
    }
    const unused = Object.keys(decoded).filter(
      (name) => !description.weights.some((w) => w.name === name),
    );
    if (unused.length > 0)
      fail(modelJsonPath, `its weights include ${unused.join(', ')}, which no layer uses`);
  } finally {
    tf.dispose(Object.values(decoded));
  }
  const spec: LayersModelSpec = {
    architecture: 'tfjs-layers',
    inputShape: shape.inputShape,
    numClasses,
    layers: description,
  };
  checkInputGradient(spec, weights, modelJsonPath);
  return { spec, weights, notes };
}
