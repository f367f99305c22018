/**
 * Model import and export (issue 4 §2): the requests of 'jobs.importModel' and
 * 'jobs.exportModel', and what their runs store as results. Both run as engine jobs with a run
 * row (kinds 'import' and 'export'), so they show progress, can be cancelled and stay on record.
 */
import { z } from 'zod';
import type { ArchitectureName } from './model-schemas';
import { FilePath, Id } from './reference-schemas';

/**
 * npz: the weights as float32 arrays (model.npz) + model.architecture.json, which says how each
 *   array maps to PyTorch;
 * tfjs-layers: model.json + weights.bin, the files tf.loadLayersModel reads;
 * onnx: model.onnx (opset 13: input 'images' NCHW [N,C,H,W] in [0,1], output 'logits' [N,K],
 *   normalization inside) + README.txt, for onnxruntime and PyTorch tooling; a model imported
 *   from ONNX: the imported file's graph, input and output written back with its weights.
 */
export const ModelExportFormat = z.enum(['npz', 'tfjs-layers', 'onnx']);
export type ModelExportFormat = z.infer<typeof ModelExportFormat>;

/**
 * The formats a model of this architecture exports as: the core refuses the others, the export
 * dialog offers only these. The .npz description and the tfjs-layers model are written from the
 * workbench's own layer graph of a model, which a model imported from ONNX does not have (its
 * graph is the file's): it exports as ONNX only.
 */
export function modelExportFormats(architecture: ArchitectureName): readonly ModelExportFormat[] {
  return architecture === 'onnx' ? ['onnx'] : ModelExportFormat.options;
}

/**
 * tfjs-layers: a TensorFlow.js layers model (model.json + its weight files);
 * onnx: an ONNX file (e.g. PyTorch's torch.onnx.export), weights inside it.
 */
export const ModelImportFormat = z.enum(['tfjs-layers', 'onnx']);
export type ModelImportFormat = z.infer<typeof ModelImportFormat>;

/** The pixel range a model was trained on, e.g. [0, 255]; the workbench's images are in [0, 1]. */
export const InputRange = z
  .tuple([z.number(), z.number()])
  .refine(([low, high]) => Number.isFinite(low) && Number.isFinite(high) && low < high, {
    message: 'the input range must be two finite numbers, low < high (e.g. 0, 255)',
  });
export type InputRange = z.infer<typeof InputRange>;

export const ModelImportRequest = z
  .object({
    format: ModelImportFormat.default('tfjs-layers'),
    /**
     * The model.json (its weight files are read from the paths its manifest gives), or the .onnx
     * file.
     */
    path: FilePath,
    /**
     * The project dataset the model is for: it must take that dataset's images (H×W×C, or
     * H·W·C values for a model of flat vectors) and output one logit per class.
     */
    datasetId: Id,
    /**
     * Name of the stored model; default: the name of the folder the model.json is in, or the
     * .onnx file's name without its extension.
     */
    name: z.string().trim().min(1, { message: 'the model name is empty' }).max(200).optional(),
    inputRange: InputRange.default([0, 1]),
    /**
     * ONNX only: the node whose output is the representation ([N, D] or [N, C, H, W]); default:
     * the input of the last Gemm/MatMul.
     */
    representation: z
      .string()
      .trim()
      .min(1, { message: 'the representation node name is empty' })
      .max(500)
      .optional(),
  })
  .strict()
  .refine((request) => request.representation === undefined || request.format === 'onnx', {
    message: 'a representation node can be named for ONNX imports only',
    path: ['representation'],
  });
export type ModelImportRequest = z.infer<typeof ModelImportRequest>;

export const ModelExportRequest = z
  .object({
    modelId: Id,
    format: ModelExportFormat,
    /** A folder that does not exist yet or is empty; nothing is ever overwritten. */
    folder: FilePath,
  })
  .strict();
export type ModelExportRequest = z.infer<typeof ModelExportRequest>;

/** What an import run stores as its result. */
export const ModelImportResult = z.object({
  kind: z.literal('import'),
  modelId: Id,
  /** The model.json or .onnx file it was read from (absolute). */
  source: z.string(),
  inputRange: InputRange,
  parameterCount: z.number().int(),
  /** Facts the person importing should know: the input mapping, a softmax taken off, … */
  notes: z.array(z.string()),
});
export type ModelImportResult = z.infer<typeof ModelImportResult>;

/** What an export run stores as its result. */
export const ModelExportResult = z.object({
  kind: z.literal('export'),
  modelId: Id,
  format: ModelExportFormat,
  /** The folder written (absolute). */
  folder: z.string(),
  /** Absolute paths of the files written. */
  files: z.array(z.string()),
});
export type ModelExportResult = z.infer<typeof ModelExportResult>;

export const ModelTransferResult = z.discriminatedUnion('kind', [
  ModelImportResult,
  ModelExportResult,
]);
export type ModelTransferResult = z.infer<typeof ModelTransferResult>;

/** 'runs.modelTransferResult': the stored result of a finished import or export run. */
export const ModelTransferRun = z.object({ runId: Id, result: ModelTransferResult });
export type ModelTransferRun = z.infer<typeof ModelTransferRun>;
