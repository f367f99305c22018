/**
 * The importer against the ONNX project's own backend test cases (Debian's libonnx-testdata):
 * every op and attribute combination it claims runs its case and matches the expected outputs
 * to the ONNX backend test runner's default tolerance, |actual − expected| ≤ atol + rtol·|expected|
 * with rtol = 1e-3, atol = 1e-7 (the per-case defaults of onnx/backend/test/loader, which the
 * runner's assert_similar_outputs passes to numpy.testing.assert_allclose). Cases of those ops that the importer does not take are
 * listed with the reason and checked to be refused with a message naming the node and op.
 * A case of a claimed op that is in neither list fails the test, so the list stays complete.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxImportError } from '../../../../../src-main/engine/models/onnx/values';
import { useBackend } from '../../use-backend';
import {
  pytorchConv2dCases,
  readCase,
  testDataRoot,
  toTensor,
  translateCase,
} from './onnx-test-data';

const rtol = 1e-3;
const atol = 1e-7;

/** node/ case-name prefixes of the ops the importer claims. */
const claimedPrefixes = [
  'test_conv_',
  'test_basic_conv_',
  'test_gemm_',
  'test_matmul_',
  'test_add',
  'test_sub',
  'test_mul',
  'test_div',
  'test_relu',
  'test_leakyrelu',
  'test_clip',
  'test_sigmoid',
  'test_tanh',
  'test_softplus',
  'test_elu',
  'test_maxpool_',
  'test_averagepool_',
  'test_globalaveragepool',
  'test_batchnorm_',
  'test_flatten_',
  'test_reshape_',
  'test_transpose_',
  'test_concat_',
  'test_constant_pad',
  'test_reflect_pad',
  'test_edge_pad',
  'test_constant',
  'test_identity',
  'test_dropout_',
  'test_reduce_mean_',
  'test_softmax_',
  'test_logsoftmax_',
  'test_slice',
  'test_gather_',
];

const integerTypes = 'integer tensors: the workbench computes in float32';
const notTwoD = 'only 2-D windows (image models)';
const float64 = 'float64 inputs: the workbench computes in float32';
/** Cases of claimed ops that are refused, with the reason (checked to be refused). */
const refused: Record<string, string> = {
  'node/test_add_uint8': integerTypes,
  'node/test_sub_uint8': integerTypes,
  'node/test_mul_uint8': integerTypes,
  'node/test_div_uint8': integerTypes,
  'node/test_clip_default_int8_inbounds': integerTypes,
  'node/test_clip_default_int8_max': integerTypes,
  'node/test_clip_default_int8_min': integerTypes,
  'node/test_maxpool_2d_uint8': integerTypes,
  'node/test_maxpool_1d_default': notTwoD,
  'node/test_maxpool_3d_default': notTwoD,
  'node/test_averagepool_1d_default': notTwoD,
  'node/test_averagepool_3d_default': notTwoD,
  'node/test_maxpool_with_argmax_2d_precomputed_pads': 'the Indices output',
  'node/test_maxpool_with_argmax_2d_precomputed_strides': 'the Indices output',
  'node/test_batchnorm_epsilon_training_mode': 'training mode (batch statistics)',
  'node/test_batchnorm_example_training_mode': 'training mode (batch statistics)',
  'node/test_dropout_default_mask': 'the mask output (training)',
  'node/test_dropout_default_mask_ratio': 'the mask output (training)',
  'node/test_edge_pad': "Pad mode 'edge'",
  'node/test_reflect_pad': integerTypes,
  'pytorch-operator/test_operator_maxpool': notTwoD,
  'pytorch-operator/test_operator_add_broadcast': float64,
  'pytorch-operator/test_operator_add_size1_broadcast': float64,
  'pytorch-operator/test_operator_add_size1_right_broadcast': float64,
  'pytorch-operator/test_operator_add_size1_singleton_broadcast': float64,
  'pytorch-operator/test_operator_addconstant': float64,
  'node/test_constantofshape_float_ones': 'ConstantOfShape is not an op the importer claims',
  'node/test_constantofshape_int_shape_zero': 'ConstantOfShape is not an op the importer claims',
  'node/test_constantofshape_int_zeros': 'ConstantOfShape is not an op the importer claims',
  'node/test_gather_elements_0': 'GatherElements is not an op the importer claims',
  'node/test_gather_elements_1': 'GatherElements is not an op the importer claims',
  'node/test_gather_elements_negative_indices': 'GatherElements is not an op the importer claims',
};

/** Cases of claimed ops that cannot run as tests here, with the reason (not run). */
const notRun: Record<string, string> = {
  'node/test_dropout_random_old': 'training-mode dropout: random output, no fixed expectation',
  'node/test_identity_opt': 'optional-typed values: its data files are not TensorProtos',
  'node/test_identity_sequence': 'sequence-typed values: its data files are not TensorProtos',
};

function expandedFunction(name: string): boolean {
  // *_expanded cases are the op's ONNX function body (ReduceMax, Exp, ReduceSum, …), not the op.
  return name.endsWith('_expanded');
}

const nodeCases = existsSync(join(testDataRoot, 'node'))
  ? readdirSync(join(testDataRoot, 'node')).filter((n) =>
      claimedPrefixes.some((p) => n.startsWith(p)),
    )
  : [];

/** Claimed image-model cases from the PyTorch-converted and PyTorch-operator sets. */
const pytorchCases = [
  ...pytorchConv2dCases,
  'pytorch-converted/test_AvgPool2d',
  'pytorch-converted/test_AvgPool2d_stride',
  'pytorch-converted/test_MaxPool2d',
  'pytorch-converted/test_MaxPool2d_stride_padding_dilation',
  'pytorch-converted/test_BatchNorm2d_eval',
  'pytorch-converted/test_BatchNorm2d_momentum_eval',
  'pytorch-converted/test_BatchNorm1d_3d_input_eval',
  'pytorch-converted/test_ConstantPad2d',
  'pytorch-converted/test_ZeroPad2d',
  'pytorch-converted/test_ReflectionPad2d',
  'pytorch-converted/test_ELU',
  'pytorch-converted/test_LeakyReLU',
  'pytorch-converted/test_LeakyReLU_with_negval',
  'pytorch-converted/test_Linear',
  'pytorch-converted/test_Linear_no_bias',
  'pytorch-converted/test_ReLU',
  'pytorch-converted/test_Sigmoid',
  'pytorch-converted/test_Softplus',
  'pytorch-converted/test_Tanh',
  'pytorch-converted/test_Softmax',
  'pytorch-converted/test_LogSoftmax',
  'pytorch-operator/test_operator_conv',
  'pytorch-operator/test_operator_maxpool',
  'pytorch-operator/test_operator_flatten',
  'pytorch-operator/test_operator_view',
  'pytorch-operator/test_operator_index',
  'pytorch-operator/test_operator_permute2',
  'pytorch-operator/test_operator_concat2',
  'pytorch-operator/test_operator_pad',
  'pytorch-operator/test_operator_addmm',
  'pytorch-operator/test_operator_mm',
  'pytorch-operator/test_operator_clip',
  'pytorch-operator/test_operator_reduced_mean',
  'pytorch-operator/test_operator_reduced_mean_keepdim',
  'pytorch-operator/test_operator_add_broadcast',
  'pytorch-operator/test_operator_add_size1_broadcast',
  'pytorch-operator/test_operator_add_size1_right_broadcast',
  'pytorch-operator/test_operator_add_size1_singleton_broadcast',
  'pytorch-operator/test_operator_addconstant',
];

const allCases = [...nodeCases.map((n) => `node/${n}`), ...pytorchCases];
const runCases = allCases.filter(
  (c) => refused[c] === undefined && notRun[c] === undefined && !expandedFunction(c),
);

/** Worst violation of |a − e| ≤ atol + rtol·|e|, as (|a − e| − atol)/|e|-style ratio > 1 fails. */
function worstAllclose(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] ?? NaN;
    const e = expected[i] ?? NaN;
    const ratio = Math.abs(a - e) / (atol + rtol * Math.abs(e));
    if (!(ratio <= worst)) worst = Number.isNaN(ratio) ? Infinity : ratio;
  }
  return worst;
}

describe.skipIf(nodeCases.length === 0)('ONNX backend test cases (libonnx-testdata)', () => {
  const results: string[] = [];
  beforeAll(async () => {
    await useBackend('wasm');
  });
  afterAll(() => {
    console.log(
      [
        `ran ${runCases.length} cases (rtol ${rtol}, atol ${atol}):`,
        ...results,
        `refused, as listed:`,
        ...Object.entries(refused).map(([c, r]) => `  ${c}: ${r}`),
        `not run:`,
        ...Object.entries(notRun).map(([c, r]) => `  ${c}: ${r}`),
        ...allCases
          .filter(expandedFunction)
          .map((c) => `  ${c}: the op's function body, not the op`),
      ].join('\n'),
    );
  });

  it('lists every case of a claimed op as run, refused or not run', () => {
    for (const c of [...Object.keys(refused), ...Object.keys(notRun)])
      expect(allCases).toContain(c);
    expect(runCases.length).toBeGreaterThan(150);
  });

  it.each(runCases)('%s matches the expected outputs', (path) => {
    const backendCase = readCase(path);
    const graph = translateCase(backendCase);
    try {
      const first = backendCase.inputs[0];
      const input = first === undefined ? undefined : toTensor(first.value);
      const outputs = tf.tidy(() => {
        const byName = graph.run(new Map(first && input ? [[first.name, input]] : []));
        return graph.outputs.map((name) => byName.get(name) ?? tf.scalar(NaN));
      });
      for (const [index, expected] of backendCase.outputs.entries()) {
        const actual = outputs[graph.outputs.indexOf(expected.name)];
        expect(index).toBeLessThan(outputs.length);
        if (actual === undefined) throw new Error(`no output ${expected.name}`);
        expect(actual.shape).toEqual(expected.value.dims);
        const worst = worstAllclose(actual.dataSync(), expected.value.values);
        results.push(
          `  ${path}: ${expected.name} worst |Δ|/(atol + rtol·|e|) = ${worst.toPrecision(3)}`,
        );
        expect(worst).toBeLessThanOrEqual(1);
      }
      tf.dispose([...(input ? [input] : []), ...outputs]);
    } finally {
      graph.dispose();
    }
  });

  it.each(Object.keys(refused))('%s is refused with the node and op named', (path) => {
    const backendCase = readCase(path);
    const op = backendCase.model.graph?.node[0]?.opType ?? '';
    let error: unknown;
    try {
      translateCase(backendCase).dispose();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OnnxImportError);
    expect((error as Error).message).toMatch(/^ONNX node ".+" \(.+\): .+/);
    if (error instanceof OnnxImportError && error.op !== 'graph input') expect(error.op).toBe(op);
  });
});
