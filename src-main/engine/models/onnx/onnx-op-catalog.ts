/**
 * Every ONNX op the importer translates, with the attributes its translator understands: a node
 * of another op, or with another attribute, is refused. Data only, without tensor code, so that
 * the core checks a file on the main thread (core/onnx-model-peek.ts) against the very lists the
 * translators use: each translator in ops/ takes its attributes from here, and onnxOpRegistry()
 * (onnx-ops.ts) checks that every op listed here has a translator.
 */
export const onnxOpAttributes = {
  // ops/activations.ts
  Relu: [],
  LeakyRelu: ['alpha'],
  Sigmoid: [],
  Tanh: [],
  Softplus: [],
  Elu: ['alpha'],
  Clip: ['min', 'max'],
  // ops/batch-normalization.ts
  BatchNormalization: ['epsilon', 'momentum', 'training_mode', 'spatial', 'is_test'],
  // ops/binary-arithmetic.ts
  Add: [],
  Sub: [],
  Mul: [],
  Div: [],
  // ops/constants-and-identity.ts
  Constant: ['value', 'value_float', 'value_floats', 'value_int', 'value_ints'],
  Identity: [],
  Dropout: ['ratio', 'is_test', 'seed'],
  // ops/conv.ts
  Conv: ['auto_pad', 'dilations', 'group', 'kernel_shape', 'pads', 'strides'],
  // ops/matrix-products.ts; Gemm's broadcast (opsets < 7) allowed C to broadcast, which it
  // always does here.
  Gemm: ['alpha', 'beta', 'transA', 'transB', 'broadcast'],
  MatMul: [],
  // ops/pad.ts
  Pad: ['mode', 'pads', 'value'],
  // ops/pooling.ts
  MaxPool: [
    'auto_pad',
    'ceil_mode',
    'dilations',
    'kernel_shape',
    'pads',
    'storage_order',
    'strides',
  ],
  AveragePool: ['auto_pad', 'ceil_mode', 'count_include_pad', 'kernel_shape', 'pads', 'strides'],
  GlobalAveragePool: [],
  // ops/reductions.ts
  ReduceMean: ['axes', 'keepdims', 'noop_with_empty_axes'],
  Softmax: ['axis'],
  LogSoftmax: ['axis'],
  // ops/reshaping.ts
  Flatten: ['axis'],
  Reshape: ['allowzero'],
  Transpose: ['perm'],
  Unsqueeze: ['axes'],
  Squeeze: ['axes'],
  Concat: ['axis'],
  // ops/static-shape.ts
  Shape: ['start', 'end'],
  Gather: ['axis'],
  Cast: ['to', 'saturate'],
  Slice: ['starts', 'ends', 'axes'],
} as const satisfies Record<string, readonly string[]>;

export type OnnxOpType = keyof typeof onnxOpAttributes;

/** The attributes of an op the importer translates; undefined for an op it does not. */
export function supportedAttributes(opType: string): readonly string[] | undefined {
  return Object.hasOwn(onnxOpAttributes, opType)
    ? onnxOpAttributes[opType as OnnxOpType]
    : undefined;
}
