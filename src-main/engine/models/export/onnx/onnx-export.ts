/**
 * A workbench model as an ONNX file (opset 13, IR version 7): what onnxruntime, PyTorch tooling
 * and every other ONNX runtime read. One graph builder (model-graph-to-onnx.ts) serves every
 * architecture through its ModelGraph; an imported tfjs-layers model is first described as a
 * ModelGraph (layers-model-graph.ts), or refused with the layer that has no counterpart. A model
 * imported from an ONNX file has no ModelGraph: its own graph is written back with its weights
 * (imported-onnx-export.ts), in the opset and with the input and output it was imported with.
 *
 * The file of a built-in, trained or layers model: input 'images' float32 NCHW [N, C, H, W] in [0, 1] (N symbolic), output 'logits'
 * [N, K] (no softmax), the input normalization inside the graph, weights in PyTorch's layouts
 * (see weight-layouts.ts). README.txt next to it says the same for people.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ENGINE_VERSION } from '../../../engine-version';
import type { ModelSpec, WeightTensor } from '../../../engine-types';
import { architectures, type ArchitectureRegistry } from '../../architecture-registry';
import type { ModelGraph } from '../../model-graph';
import { encodeModel } from '../../onnx/onnx-proto';
import { checkWeightsMatch, describeArchitecture } from '../architecture-description';
import { importedOnnxModel, importedOnnxReadme } from './imported-onnx-export';
import { layersModelGraph } from './layers-model-graph';
import { modelGraphToOnnx, ONNX_INPUT, ONNX_OUTPUT } from './model-graph-to-onnx';
import { ONNX_PRODUCER } from './onnx-nodes';

export const ONNX_OPSET = 13;
/** The IR version that goes with opset 13 (ONNX 1.8). */
const IR_VERSION = 7;

interface ExportableGraph {
  graph: ModelGraph;
  weights: ReadonlyMap<string, WeightTensor>;
}

function exportableGraph(
  spec: ModelSpec,
  weights: readonly WeightTensor[],
  registry: ArchitectureRegistry,
): ExportableGraph {
  checkWeightsMatch(describeArchitecture(spec, registry), weights);
  const definition = registry.get(spec.architecture);
  if ('instantiate' in definition) return layersModelGraph(spec, weights);
  if (definition.graph === undefined) {
    throw new Error(`architecture ${spec.architecture} has no layer graph to export`);
  }
  return { graph: definition.graph(spec), weights: new Map(weights.map((w) => [w.name, w])) };
}

/** The .onnx file's bytes for this model and these weights (checked against the architecture). */
export function toOnnxModel(
  spec: ModelSpec,
  weights: readonly WeightTensor[],
  registry: ArchitectureRegistry = architectures,
): Uint8Array {
  if (spec.architecture === 'onnx') return importedOnnxModel(spec, weights);
  const { graph, weights: byName } = exportableGraph(spec, weights, registry);
  const [h, w, c] = spec.inputShape;
  const graphProto = modelGraphToOnnx({
    spec,
    graph,
    weights: byName,
    name: spec.architecture,
    docString:
      `${spec.architecture} exported by the Robust Features Workbench: ` +
      `${ONNX_INPUT} [N, ${c}, ${h}, ${w}] NCHW float32 in [0, 1] → ${ONNX_OUTPUT} [N, ${spec.numClasses}]`,
  });
  return encodeModel({
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: ONNX_PRODUCER,
    producerVersion: ENGINE_VERSION,
    graph: graphProto,
  });
}

function readme(spec: ModelSpec): string {
  if (spec.architecture === 'onnx') return importedOnnxReadme(spec);
  const [h, w, c] = spec.inputShape;
  return [
    `model.onnx: a ${spec.architecture} classifier exported by the Robust Features Workbench`,
    `(ONNX opset ${ONNX_OPSET}, IR version ${IR_VERSION}).`,
    '',
    `input   "${ONNX_INPUT}"  float32 [N, ${c}, ${h}, ${w}]  (NCHW, N any batch size)`,
    '        pixel values in [0, 1], exactly the images the workbench shows;',
    '        the input normalization is inside the graph: do not normalize again.',
    `output  "${ONNX_OUTPUT}"  float32 [N, ${spec.numClasses}]  raw logits (no softmax)`,
    '',
    'Weights are in PyTorch layouts: Conv OIHW, Gemm [out, in] with transB = 1, and the dense',
    'layer after a flatten reads the (c, h, w) order of torch.flatten on NCHW.',
    'BatchNorm layers are in inference mode (running statistics).',
    '',
    'Python:',
    '  import onnxruntime, numpy',
    `  session = onnxruntime.InferenceSession("model.onnx")`,
    `  logits = session.run(["${ONNX_OUTPUT}"], {"${ONNX_INPUT}": images.astype(numpy.float32)})[0]`,
    '',
  ].join('\n');
}

export interface OnnxModelFiles {
  model: string;
  readme: string;
}

/** Writes `<directory>/model.onnx` and `<directory>/README.txt` (the directory is created). */
export async function saveOnnxModel(
  directory: string,
  spec: ModelSpec,
  weights: readonly WeightTensor[],
): Promise<OnnxModelFiles> {
  const bytes = toOnnxModel(spec, weights);
  const files = { model: join(directory, 'model.onnx'), readme: join(directory, 'README.txt') };
  await mkdir(directory, { recursive: true });
  await writeFile(files.model, bytes);
  await writeFile(files.readme, readme(spec));
  return files;
}
