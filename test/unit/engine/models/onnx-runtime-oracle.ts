/**
 * onnxruntime-node (Microsoft's ONNX Runtime, CPU) as a test oracle: a second runtime no one
 * here wrote, for the files the workbench exports and the files it imports.
 */
import * as ort from 'onnxruntime-node';

export interface OrtOutputs {
  /** Graph input names and output names, as the runtime reads them from the file. */
  inputNames: readonly string[];
  outputNames: readonly string[];
  /** The first output's values and dims. */
  values: Float32Array;
  dims: readonly number[];
}

/** Runs the model's first output for one float32 input (in the file's own layout). */
export async function runWithOnnxRuntime(
  model: Uint8Array,
  input: Float32Array,
  dims: readonly number[],
): Promise<OrtOutputs> {
  const session = await ort.InferenceSession.create(model);
  try {
    const [inputName = ''] = session.inputNames;
    const [outputName = ''] = session.outputNames;
    const feeds = { [inputName]: new ort.Tensor('float32', input, [...dims]) };
    const result = (await session.run(feeds))[outputName];
    if (result === undefined || !(result.data instanceof Float32Array)) {
      throw new Error(`onnxruntime gave no float32 ${outputName}`);
    }
    return {
      inputNames: session.inputNames,
      outputNames: session.outputNames,
      values: result.data,
      dims: result.dims,
    };
  } finally {
    await session.release();
  }
}
