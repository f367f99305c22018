/**
 * Small constructors for the ONNX messages the exporter writes (onnx.proto field names, see
 * ../../onnx/onnx-schema.ts): nodes with typed attributes, float32 initializers, and
 * tensor value infos with a symbolic batch axis.
 */
import type {
  AttributeProto,
  Encodable,
  NodeProto,
  TensorProto,
  ValueInfoProto,
} from '../../onnx/onnx-proto';
import { OnnxDataType } from '../../onnx/onnx-tensor';

/** The producer_name of every file the workbench exports. */
export const ONNX_PRODUCER = 'robust-features-workbench';

/** AttributeProto.AttributeType values (onnx.proto). */
const AttributeType = { float: 1, int: 2, ints: 7 } as const;

export type Attribute = Encodable<AttributeProto>;

export function intAttribute(name: string, value: number): Attribute {
  return { name, type: AttributeType.int, i: value };
}

export function intsAttribute(name: string, values: readonly number[]): Attribute {
  return { name, type: AttributeType.ints, ints: [...values] };
}

export function floatAttribute(name: string, value: number): Attribute {
  return { name, type: AttributeType.float, f: value };
}

export function node(
  opType: string,
  name: string,
  inputs: readonly string[],
  outputs: readonly string[],
  attributes: readonly Attribute[] = [],
): Encodable<NodeProto> {
  return { opType, name, input: [...inputs], output: [...outputs], attribute: [...attributes] };
}

/** A float32 initializer; raw_data is little-endian as the ONNX specification requires. */
export function floatTensor(
  name: string,
  dims: readonly number[],
  values: Float32Array,
): Encodable<TensorProto> {
  return rawTensor(name, dims, values, 'float');
}

/**
 * A DOUBLE initializer holding these float32 values (each widened exactly to float64), raw_data
 * little-endian.
 */
export function doubleTensor(
  name: string,
  dims: readonly number[],
  values: Float32Array,
): Encodable<TensorProto> {
  return rawTensor(name, dims, values, 'double');
}

/** The values as little-endian raw_data of 4-byte floats or 8-byte doubles, checked against dims. */
function rawTensor(
  name: string,
  dims: readonly number[],
  values: Float32Array,
  type: 'float' | 'double',
): Encodable<TensorProto> {
  const size = dims.reduce((a, b) => a * b, 1);
  if (values.length !== size) {
    throw new Error(`${name}: ${values.length} values for shape [${dims.join(', ')}]`);
  }
  const bytes = type === 'float' ? 4 : 8;
  const raw = new Uint8Array(values.length * bytes);
  const view = new DataView(raw.buffer);
  if (type === 'float') values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  else values.forEach((v, i) => view.setFloat64(i * 8, v, true));
  return { name, dims: [...dims], dataType: OnnxDataType[type], rawData: raw };
}

/** A float32 tensor value; 'N' is the symbolic batch axis. */
export function floatValueInfo(
  name: string,
  shape: readonly (number | 'N')[],
): Encodable<ValueInfoProto> {
  return {
    name,
    type: {
      tensorType: {
        elemType: OnnxDataType.float,
        shape: {
          dim: shape.map((d) => (d === 'N' ? { dimParam: 'N' } : { dimValue: d })),
        },
      },
    },
  };
}
