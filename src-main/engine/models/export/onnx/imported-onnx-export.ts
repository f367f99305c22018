/**
 * A model imported from an ONNX file, exported as ONNX again: the imported file's own graph
 * (nodes, attributes, opset, IR version, input and output names as the file declared them) with
 * the stored weights put back (joinWeights in ../../onnx/onnx-stored-model.ts), so onnxruntime
 * computes on the exported file what it computes on the imported one, and importing the export
 * gives the model the workbench had. No ModelGraph is involved: the imported graph is not one of
 * the workbench's architectures, and rebuilding it layer by layer could only lose ops.
 *
 * The file is the graph the person gave, not the workbench's export contract ('images' in
 * [0, 1] → 'logits'): its input takes pixels in the range the model was imported with (the
 * workbench fed low + (high − low)·x), and a Softmax the file ended in is still there (the
 * workbench took its input as the logits). README.txt says both. Provenance: producer_name is
 * the workbench, doc_string and metadata_props (onnx-export-provenance.ts) name the imported
 * file and its SHA-256.
 */
import type { ModelSpec, WeightTensor } from '../../../engine-types';
import { ENGINE_VERSION } from '../../../engine-version';
import { withSourceMetadata } from '../../onnx/onnx-export-provenance';
import { onnxDescriptionOf } from '../../onnx/onnx-model-description';
import { encodeModel } from '../../onnx/onnx-proto';
import { joinWeights } from '../../onnx/onnx-stored-model';
import { ONNX_PRODUCER } from './onnx-nodes';

/** The .onnx file's bytes for an imported ONNX model and its stored weights. */
export function importedOnnxModel(spec: ModelSpec, weights: readonly WeightTensor[]): Uint8Array {
  const description = onnxDescriptionOf(spec);
  const source = description.provenance;
  const model = joinWeights(description, weights);
  return encodeModel({
    ...model,
    producerName: ONNX_PRODUCER,
    producerVersion: ENGINE_VERSION,
    docString:
      `Exported by the Robust Features Workbench from a model it imported from ${source.fileName} ` +
      `(SHA-256 ${source.sha256}${source.producer === '' ? '' : `, produced by ${source.producer}`}): ` +
      `that file's graph and weights, input ${source.inputName} taking pixels in ` +
      `[${source.inputRange.join(', ')}], output ${source.logitsOutput}`,
    metadataProps: withSourceMetadata(model.metadataProps ?? [], source),
  });
}

/** README.txt beside model.onnx: what the file is and how to feed it. */
export function importedOnnxReadme(spec: ModelSpec): string {
  const source = onnxDescriptionOf(spec).provenance;
  const [c, h, w] = source.inputShape;
  const [low, high] = source.inputRange;
  return [
    `model.onnx: the ONNX model the Robust Features Workbench imported from ${source.fileName}`,
    `(SHA-256 ${source.sha256}; ${source.producer === '' ? 'no producer named' : source.producer},`,
    `opset ${source.opset}), written back: the same graph, node for node, and its weights,`,
    'value for value, in ONNX layouts (Conv OIHW, Gemm as the file had it).',
    '',
    `input   "${source.inputName}"  float32 [N, ${c}, ${h}, ${w}]  (NCHW, the batch as the file declared it)`,
    `        pixel values in [${low}, ${high}]: the workbench fed its [0, 1] images x as`,
    `        ${low} + ${high - low}·x.`,
    `output  "${source.logitsOutput}"  as the file declared it; if the file ended in a Softmax it`,
    '        still does (the workbench read the logits before it).',
    '',
    'Import it into the workbench again with the same input range:',
    `  rfw import --format onnx --path model.onnx --dataset ID --input-range ${low},${high}`,
    '',
  ].join('\n');
}
