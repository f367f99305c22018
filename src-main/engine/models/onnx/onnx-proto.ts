/**
 * Decodes ONNX protobuf bytes (a model file, or one TensorProto as the ONNX backend tests store
 * their inputs and outputs) with protobufjs against ./onnx-schema, and encodes a model (the ONNX
 * export writes its file with the same schema). The interfaces below are the
 * plain objects protobufjs' toObject gives for that schema with the options used here (int64 as
 * JS numbers, enums as numbers, repeated fields always present); they are written down once, so
 * the rest of the importer reads typed fields. An int64 beyond 2⁵³ loses precision as a number:
 * the only such values in practice are Slice's "to the end" markers (±2⁶³), which are clamped.
 */
import protobuf from 'protobufjs';
import { onnxSchema } from './onnx-schema';

export interface TensorProto {
  dims: number[];
  dataType?: number;
  floatData: number[];
  int32Data: number[];
  int64Data: number[];
  doubleData: number[];
  uint64Data: number[];
  stringData: Uint8Array[];
  name?: string;
  rawData?: Uint8Array;
  externalData: { key?: string; value?: string }[];
  dataLocation?: number;
}

export interface AttributeProto {
  name?: string;
  refAttrName?: string;
  type?: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: TensorProto;
  g?: GraphProto;
  floats: number[];
  ints: number[];
  strings: Uint8Array[];
  tensors: TensorProto[];
  graphs: GraphProto[];
}

export interface NodeProto {
  input: string[];
  output: string[];
  name?: string;
  opType?: string;
  domain?: string;
  attribute: AttributeProto[];
  docString?: string;
}

export interface DimensionProto {
  dimValue?: number;
  dimParam?: string;
}

export interface ValueInfoProto {
  name?: string;
  type?: {
    tensorType?: { elemType?: number; shape?: { dim: DimensionProto[] } };
  };
}

export interface GraphProto {
  node: NodeProto[];
  name?: string;
  docString?: string;
  initializer: TensorProto[];
  input: ValueInfoProto[];
  output: ValueInfoProto[];
  valueInfo: ValueInfoProto[];
}

export interface ModelProto {
  irVersion?: number;
  opsetImport: { domain?: string; version?: number }[];
  producerName?: string;
  producerVersion?: string;
  docString?: string;
  graph?: GraphProto;
  /** Free-form key/value pairs (the workbench's export records where a model came from). */
  metadataProps: { key?: string; value?: string }[];
}

const root = protobuf.Root.fromJSON(onnxSchema);
const modelType = root.lookupType('onnx.ModelProto');
const tensorType = root.lookupType('onnx.TensorProto');

const objectOptions: protobuf.IConversionOptions = {
  longs: Number,
  enums: Number,
  arrays: true,
  defaults: false,
};

function decode(type: protobuf.Type, bytes: Uint8Array, what: string): Record<string, unknown> {
  let message: protobuf.Message;
  try {
    message = type.decode(bytes);
  } catch (error) {
    throw new Error(
      `not an ONNX ${what}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return type.toObject(message, objectOptions);
}

export function decodeModel(bytes: Uint8Array): ModelProto {
  const model = decode(modelType, bytes, 'model') as unknown as ModelProto;
  if (model.graph === undefined) throw new Error('not an ONNX model: it has no graph');
  return model;
}

export function decodeTensor(bytes: Uint8Array): TensorProto {
  return decode(tensorType, bytes, 'tensor') as unknown as TensorProto;
}

/**
 * A message to encode: the decoded interfaces with every field optional (protobufjs fills
 * absent repeated fields with nothing), bytes as Uint8Array, int64 as numbers.
 */
export type Encodable<T> = T extends Uint8Array
  ? T
  : T extends (infer E)[]
    ? Encodable<E>[]
    : T extends object
      ? { [K in keyof T]?: Encodable<T[K]> }
      : T;

/** ModelProto bytes (a .onnx file) for the model; a field of the wrong type throws. */
export function encodeModel(model: Encodable<ModelProto>): Uint8Array {
  const problem = modelType.verify(model);
  if (problem !== null) throw new Error(`cannot encode the ONNX model: ${problem}`);
  return modelType.encode(modelType.fromObject(model)).finish();
}
