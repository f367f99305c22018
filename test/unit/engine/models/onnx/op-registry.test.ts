/** The op registry: every claimed op registered once; a second registration throws. */
import { describe, expect, it } from 'vitest';
import { onnxOpRegistry } from '../../../../../src-main/engine/models/onnx/onnx-ops';
import { conv } from '../../../../../src-main/engine/models/onnx/ops/conv';

describe('ONNX op registry', () => {
  it('holds the claimed ops and refuses a duplicate', () => {
    const registry = onnxOpRegistry();
    expect(registry.opTypes()).toEqual(
      [
        'Add',
        'AveragePool',
        'BatchNormalization',
        'Cast',
        'Clip',
        'Concat',
        'Constant',
        'Conv',
        'Div',
        'Dropout',
        'Elu',
        'Flatten',
        'Gather',
        'Gemm',
        'GlobalAveragePool',
        'Identity',
        'LeakyRelu',
        'LogSoftmax',
        'MatMul',
        'MaxPool',
        'Mul',
        'Pad',
        'ReduceMean',
        'Relu',
        'Reshape',
        'Shape',
        'Sigmoid',
        'Slice',
        'Softmax',
        'Softplus',
        'Squeeze',
        'Sub',
        'Tanh',
        'Transpose',
        'Unsqueeze',
      ].sort(),
    );
    expect(() => registry.register(conv)).toThrow('ONNX op Conv is already registered');
  });
});
