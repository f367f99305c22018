/**
 * What the workbench keeps about an imported ONNX model besides its weights: enough to translate
 * it again in any worker. It travels inside the ModelSpec as `onnx` (see OnnxModelSpec in
 * engine-types.ts), so every place that rebuilds a model from (spec, weights) — attacks,
 * evaluation, experiments, features — handles imported ONNX models without knowing about them.
 *
 * Stored form: the file's float initializers are the model's weights (name and ONNX shape, in the
 * file's order, float32 as in the file; a DOUBLE one narrowed to float32, its type recorded so that
 * the ONNX export writes it back as DOUBLE); `structure` is the file's ModelProto with exactly those
 * initializers taken out, re-encoded with protobufjs (kilobytes: the nodes, their attributes,
 * integer constants). Translating structure + weights again gives the graph the import checked,
 * bit for bit the same floats; `provenance.sha256` names the original file exactly.
 */
import { z } from 'zod';
import { OnnxProvenance } from '../../../common/onnx-provenance-schemas';
import type { ArchitectureName } from '../../../common/model-schemas';

export const OnnxWeight = z.object({
  /** The initializer's name in the file, e.g. 'conv1.weight'. */
  name: z.string().min(1),
  /** Its ONNX shape (a Conv weight is [out, in/groups, kH, kW]). */
  shape: z.array(z.number().int().nonnegative()),
  /**
   * 'double': the file held it as DOUBLE (the workbench keeps and computes with its float32
   * values). Absent: FLOAT — or a model imported before the type was recorded.
   */
  fileType: z.literal('double').optional(),
});
export type OnnxWeight = z.infer<typeof OnnxWeight>;

export const OnnxModelDescription = z.object({
  provenance: OnnxProvenance,
  /** The ModelProto without the weights' data, protobuf bytes as base64. */
  structure: z.string().min(1),
  weights: z.array(OnnxWeight),
});
export type OnnxModelDescription = z.infer<typeof OnnxModelDescription>;

/**
 * The description carried by an 'onnx' spec; a clear error when it is missing or malformed. The
 * spec is typed by the two fields read, as ModelSpec (engine-types.ts) carries this description.
 */
export function onnxDescriptionOf(spec: {
  architecture: ArchitectureName;
  onnx?: unknown;
}): OnnxModelDescription {
  if (spec.architecture !== 'onnx') {
    throw new Error(`architecture ${spec.architecture} is not an imported ONNX model`);
  }
  const carried = spec.onnx;
  if (carried === undefined) {
    throw new Error(
      'an onnx model spec must carry its description (spec.onnx), as the import made it',
    );
  }
  const parsed = OnnxModelDescription.safeParse(carried);
  if (!parsed.success) {
    throw new Error(`the ONNX model description is malformed: ${parsed.error.message}`);
  }
  return parsed.data;
}
