/**
 * What the workbench records about a model imported from an ONNX file (issue 13), kept with the
 * model and shown on its page: where it came from (file, hash, producer, opset), what it is
 * (ops, parameters, input) and how the workbench runs it (input range, normalization found,
 * representation).
 */
import { z } from 'zod';

export const OnnxNormalization = z.object({
  /** Per-channel constants subtracted from the input (a Sub right after it), or null. */
  mean: z.array(z.number()).nullable(),
  /** Per-channel constants the input is divided by (a Div after it or after the Sub), or null. */
  std: z.array(z.number()).nullable(),
  /** The nodes that make up the prefix, in order. */
  nodes: z.array(z.string()),
});
export type OnnxNormalization = z.infer<typeof OnnxNormalization>;

export const OnnxProvenance = z.object({
  /** The file's name (without its folder) and its size in bytes, as imported. */
  fileName: z.string(),
  fileBytes: z.number().int().nonnegative(),
  /** SHA-256 of the file's bytes, hex: which file exactly, whatever it was called. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** The default-domain opset and the IR version it declares. */
  opset: z.number().int(),
  irVersion: z.number().int().nullable(),
  /** producer_name and producer_version, e.g. "pytorch 1.13.1"; empty when the file has none. */
  producer: z.string(),
  /** Node count per op type, as in the file (before the Softmax strip and the Conv+Relu fusion). */
  opCounts: z.record(z.string(), z.number().int()),
  /** Float values in the file's initializers (weights, biases, BatchNorm statistics). */
  parameterCount: z.number().int().nonnegative(),
  /** The graph input and its ONNX shape without the batch: [C, H, W]. */
  inputName: z.string(),
  inputShape: z.tuple([z.number().int(), z.number().int(), z.number().int()]),
  /**
   * The pixel range the model expects; the workbench's [0,1] images x are fed as
   * low + (high − low)·x.
   */
  inputRange: z.tuple([z.number(), z.number()]),
  /** An input-normalization prefix found at the graph's input, or null. */
  normalization: OnnxNormalization.nullable(),
  /** The graph output taken as logits. */
  logitsOutput: z.string(),
  /**
   * The representation: the node whose output it is, that value's name, its ONNX shape per image
   * ([D] or [C, H, W]) and its size (the product: the length of the flattened vector).
   */
  representation: z.object({
    node: z.string(),
    value: z.string(),
    shape: z.array(z.number().int()),
    size: z.number().int(),
  }),
  /** Facts the person importing should know (a Softmax stripped, the input mapping, …). */
  notes: z.array(z.string()),
});
export type OnnxProvenance = z.infer<typeof OnnxProvenance>;
