/**
 * Imports an ONNX file as a workbench model of architecture 'onnx' (issue 13): reads and hashes
 * the file, checks that it fits the project dataset (onnx-file-facts.ts), splits it into
 * structure and weights as the project stores it, translates that stored form — exactly what
 * every worker will rebuild — and checks what the workbench needs of it, each with a message:
 *   the logits: one output [N, K], K = the dataset's classes;
 *   the representation (default: the input of the last Gemm/MatMul, or a node the person names):
 *     computed from the input, shape [N, D] or [N, C, H, W] with fixed sizes;
 *   a finite gradient of the logits w.r.t. the input on two random images (attacks need it).
 * A translation refusal (an unsupported op, attribute or dynamic shape) names node, op, reason.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { OnnxProvenance } from '../../../common/onnx-provenance-schemas';
import type { OnnxModelSpec, WeightTensor } from '../../engine-types';
import {
  checkOnnxFits,
  defaultOpset,
  defaultRepresentation,
  findNormalization,
  imageInput,
  namedRepresentation,
  opCounts,
  producerOf,
  type ImportTarget,
} from './onnx-file-facts';
import { exportedFromNote } from './onnx-export-provenance';
import { decodeModel } from './onnx-proto';
import { runStored, splitWeights, translateStored } from './onnx-stored-model';
import type { OnnxGraph } from './translate-graph';

export interface OnnxImportOptions {
  target: ImportTarget;
  /** The pixel range the model expects ([0, 1] leaves the workbench's images as they are). */
  inputRange: [number, number];
  /** The node whose output is the representation; default: the last Gemm/MatMul's input. */
  representation?: string;
  /** Refuse the file unless its SHA-256 is this (the core hashed it when it checked it). */
  sha256?: string;
}

export interface ImportedOnnxModel {
  spec: OnnxModelSpec;
  weights: WeightTensor[];
  notes: string[];
}

function fixedShape(shape: readonly (number | string | null)[]): number[] | null {
  const sizes = shape.filter((d): d is number => typeof d === 'number');
  return sizes.length === shape.length ? sizes : null;
}

/** The per-image shape of the representation value; throws unless [N, D] or [N, C, H, W]. */
function representationShape(
  graph: OnnxGraph,
  file: string,
  node: string,
  value: string,
): number[] {
  const shape = graph.extraShapes.get(value) ?? [];
  const perImage = fixedShape(shape.slice(1));
  if (shape[0] !== 'N' || perImage === null || (shape.length !== 2 && shape.length !== 4)) {
    throw new Error(
      `${file}: the output of node "${node}" has shape [${shape.map((d) => d ?? '?').join(', ')}]; ` +
        'the representation must be [N, D] or [N, C, H, W] with fixed sizes',
    );
  }
  return perImage;
}

function checkInputGradient(
  graph: OnnxGraph,
  provenance: OnnxProvenance,
  imageShape: readonly [number, number, number],
  file: string,
): void {
  try {
    tf.tidy(() => {
      const images = tf.randomUniform([2, ...imageShape], 0, 1, 'float32', 1) as tf.Tensor4D;
      const gradient = tf.grad((x: tf.Tensor) =>
        tf.sum(runStored(graph, provenance, x as tf.Tensor4D).logits),
      )(images);
      if (!Number.isFinite(tf.sum(tf.abs(gradient)).dataSync()[0] ?? NaN)) {
        throw new Error('the input gradient is not finite');
      }
    });
  } catch (error) {
    throw new Error(
      `${file}: its gradient w.r.t. the input cannot be computed (${error instanceof Error ? error.message : String(error)}); attacks need it`,
      { cause: error },
    );
  }
}

export async function importOnnxFile(
  path: string,
  options: OnnxImportOptions,
): Promise<ImportedOnnxModel> {
  const file = basename(path);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new Error(
      `${path} cannot be read (${error instanceof Error ? error.message : String(error)})`,
      { cause: error },
    );
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (options.sha256 !== undefined && options.sha256 !== sha256) {
    throw new Error(`${path} changed since it was checked (its SHA-256 is now ${sha256})`);
  }
  const model = decodeModel(bytes);
  checkOnnxFits(model, file, options.target);
  const input = imageInput(model, file);
  const choice =
    options.representation === undefined
      ? defaultRepresentation(model, file)
      : namedRepresentation(model, file, options.representation);
  const { structure, weights, described } = splitWeights(model);
  const [c, h, w] = input.chw as [number, number, number];
  const provenance: OnnxProvenance = {
    fileName: file,
    fileBytes: bytes.byteLength,
    sha256,
    opset: defaultOpset(model) ?? 0,
    irVersion: model.irVersion ?? null,
    producer: producerOf(model),
    opCounts: opCounts(model),
    parameterCount: weights.reduce((sum, weight) => sum + weight.data.length, 0),
    inputName: input.name,
    inputShape: [c, h, w],
    inputRange: options.inputRange,
    normalization: findNormalization(model, c),
    logitsOutput: model.graph?.output[0]?.name ?? '',
    representation: { node: choice.node, value: choice.value, shape: [], size: 0 },
    notes: [],
  };
  const description = {
    provenance,
    structure,
    weights: described,
  };
  const graph = translateStored(description, new Map(weights.map((wt) => [wt.name, wt.data])));
  try {
    const shape = representationShape(graph, file, choice.node, choice.value);
    provenance.representation.shape = shape;
    provenance.representation.size = shape.reduce((a, b) => a * b, 1);
    const logits = tf.tidy(() => {
      const probe = runStored(
        graph,
        provenance,
        tf.zeros<tf.Rank.R4>([1, ...options.target.imageShape]),
      );
      return probe.logits.shape[1];
    });
    if (logits !== options.target.numClasses) {
      throw new Error(
        `${file} outputs ${logits} classes, but dataset "${options.target.name}" has ${options.target.numClasses}`,
      );
    }
    checkInputGradient(graph, provenance, options.target.imageShape, file);
    const [low, high] = options.inputRange;
    const exported = exportedFromNote(model);
    provenance.notes = [
      ...(exported === null ? [] : [exported]),
      ...graph.notes,
      low === 0 && high === 1
        ? 'pixels are fed in [0, 1], as the workbench keeps them'
        : `pixels in [0, 1] are mapped to [${low}, ${high}] before the model's input`,
    ];
  } finally {
    graph.dispose();
  }
  const spec: OnnxModelSpec = {
    architecture: 'onnx',
    inputShape: [h, w, c],
    numClasses: options.target.numClasses,
    onnx: description,
  };
  return { spec, weights, notes: provenance.notes };
}
