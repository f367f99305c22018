/**
 * TensorProto → host values. Float tensors (FLOAT, and DOUBLE narrowed to float32) become a
 * Float32Array; integer and boolean tensors become numbers (int64 shape constants fit: see
 * onnx-proto.ts). raw_data is little-endian per the ONNX specification and is read through a
 * DataView, so the result does not depend on the host's byte order or on the alignment of the
 * bytes inside the file's buffer.
 */
import type { TensorProto } from './onnx-proto';

/** ONNX TensorProto.DataType values the importer reads. */
export const OnnxDataType = {
  float: 1,
  uint8: 2,
  int8: 3,
  int32: 6,
  int64: 7,
  bool: 9,
  double: 11,
} as const;

const typeNames: Record<number, string> = {
  0: 'UNDEFINED',
  1: 'FLOAT',
  2: 'UINT8',
  3: 'INT8',
  4: 'UINT16',
  5: 'INT16',
  6: 'INT32',
  7: 'INT64',
  8: 'STRING',
  9: 'BOOL',
  10: 'FLOAT16',
  11: 'DOUBLE',
  12: 'UINT32',
  13: 'UINT64',
  14: 'COMPLEX64',
  15: 'COMPLEX128',
  16: 'BFLOAT16',
};

export function dataTypeName(dataType: number | undefined): string {
  return typeNames[dataType ?? 0] ?? `data type ${dataType}`;
}

export type HostTensor =
  | { kind: 'float'; dims: number[]; values: Float32Array }
  | { kind: 'int'; dims: number[]; values: number[] };

function elementCount(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

function rawView(raw: Uint8Array): DataView {
  return new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
}

function readRaw(raw: Uint8Array, dataType: number, count: number): number[] | Float32Array {
  const view = rawView(raw);
  const read: Record<number, [number, (offset: number) => number]> = {
    [OnnxDataType.float]: [4, (o) => view.getFloat32(o, true)],
    [OnnxDataType.double]: [8, (o) => view.getFloat64(o, true)],
    [OnnxDataType.int32]: [4, (o) => view.getInt32(o, true)],
    [OnnxDataType.int64]: [8, (o) => Number(view.getBigInt64(o, true))],
    [OnnxDataType.uint8]: [1, (o) => view.getUint8(o)],
    [OnnxDataType.int8]: [1, (o) => view.getInt8(o)],
    [OnnxDataType.bool]: [1, (o) => view.getUint8(o)],
  };
  const reader = read[dataType];
  if (reader === undefined) throw new Error(`${dataTypeName(dataType)} tensors are not supported`);
  const [size, get] = reader;
  if (raw.byteLength !== size * count) {
    throw new Error(`raw_data has ${raw.byteLength} bytes, ${size * count} expected`);
  }
  const isFloat = dataType === OnnxDataType.float || dataType === OnnxDataType.double;
  const out = isFloat ? new Float32Array(count) : new Array<number>(count);
  for (let i = 0; i < count; i++) out[i] = get(i * size);
  return out;
}

/** The typed field ONNX stores each data type in when raw_data is absent. */
function typedField(tensor: TensorProto, dataType: number): number[] {
  switch (dataType) {
    case OnnxDataType.float:
      return tensor.floatData;
    case OnnxDataType.double:
      return tensor.doubleData;
    case OnnxDataType.int64:
      return tensor.int64Data;
    case OnnxDataType.int32:
    case OnnxDataType.uint8:
    case OnnxDataType.int8:
    case OnnxDataType.bool:
      return tensor.int32Data;
    default:
      throw new Error(`${dataTypeName(dataType)} tensors are not supported`);
  }
}

export function hostTensor(tensor: TensorProto): HostTensor {
  const dataType = tensor.dataType ?? 0;
  const dims = tensor.dims.map(Number);
  const count = elementCount(dims);
  if (tensor.dataLocation === 1 || tensor.externalData.length > 0) {
    throw new Error(
      `tensor ${tensor.name ?? ''} keeps its data in an external file; export with the weights inside the model`,
    );
  }
  const values =
    tensor.rawData !== undefined && tensor.rawData.byteLength > 0
      ? readRaw(tensor.rawData, dataType, count)
      : typedField(tensor, dataType);
  if (values.length !== count) {
    throw new Error(
      `tensor ${tensor.name ?? ''} has ${values.length} values for shape [${dims.join(', ')}]`,
    );
  }
  if (dataType === OnnxDataType.float || dataType === OnnxDataType.double) {
    return { kind: 'float', dims, values: Float32Array.from(values) };
  }
  return { kind: 'int', dims, values: Array.from(values) };
}
