/**
 * The input gradients of the imported ops that are linear in their input — Conv (strides,
 * asymmetric and SAME_LOWER pads, groups, depthwise, dilation 2 at stride 2), and Slice and
 * Gather of run-time tensors (negative and strided steps, out-of-range bounds, 2-D and negative
 * indices) — on the ONNX backend test cases, without PyTorch: attacks need ∂/∂X, and the backend
 * cases check only the forward. Each case's graph is affine in X, f(X) = A·X + b, so the
 * gradient of ⟨dY, f(X)⟩ is Aᵀ·dY whatever X is, and for any probe V
 *   ⟨Aᵀ·dY, V⟩ = ⟨dY, A·V⟩ = ⟨dY, f(V) − f(0)⟩,
 * the adjoint identity. The right side uses only the forward, which the backend suite checks
 * against the expected outputs; a gradient that is not the forward's adjoint (a dropped
 * dilation, a misplaced pad or slice, a lost repeated index) fails it for all but a
 * measure-zero set of random dY, V. Tolerance: 1e-4 of Σ|terms| of the two float32 sums.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../use-backend';
import {
  pytorchConv2dCases,
  readCase,
  testDataRoot,
  toTensor,
  translateCase,
} from './onnx-test-data';

/**
 * Σ aᵢbᵢ and Σ |aᵢbᵢ| in float64, on the host: tfjs-wasm's Sum of an empty tensor (the output
 * of test_slice_start_out_of_bounds) returns uninitialized memory instead of 0.
 */
function dot(a: ArrayLike<number> | undefined, b: ArrayLike<number> | undefined): [number, number] {
  let sum = 0;
  let magnitude = 0;
  for (let i = 0; i < (a?.length ?? 0); i++) {
    const term = (a?.[i] ?? NaN) * (b?.[i] ?? NaN);
    sum += term;
    magnitude += Math.abs(term);
  }
  return [sum, magnitude];
}

/** The graph's ops, all linear in the first input (Squeeze: test_operator_index). */
const linearOps = new Set(['Conv', 'Slice', 'Gather', 'Squeeze']);

/** Every Conv, Slice and Gather case of the backend suite that the importer runs. */
const linearCases = [
  'node/test_basic_conv_with_padding',
  'node/test_basic_conv_without_padding',
  'node/test_conv_with_autopad_same',
  'node/test_conv_with_strides_and_asymmetric_padding',
  'node/test_conv_with_strides_no_padding',
  'node/test_conv_with_strides_padding',
  ...pytorchConv2dCases,
  'pytorch-operator/test_operator_conv',
  'node/test_slice',
  'node/test_slice_default_axes',
  'node/test_slice_default_steps',
  'node/test_slice_end_out_of_bounds',
  'node/test_slice_neg',
  'node/test_slice_neg_steps',
  'node/test_slice_negative_axes',
  'node/test_slice_start_out_of_bounds',
  'pytorch-operator/test_operator_index',
  'node/test_gather_0',
  'node/test_gather_1',
  'node/test_gather_2d_indices',
  'node/test_gather_negative_indices',
];

describe.skipIf(!existsSync(join(testDataRoot, 'node')))(
  'Input gradients of linear ops on the ONNX backend cases (adjoint identity)',
  () => {
    beforeAll(async () => {
      await useBackend('wasm');
    });

    it.each(linearCases)('%s: ⟨∂/∂X ⟨dY, f(X)⟩, V⟩ = ⟨dY, f(V) − f(0)⟩', (path) => {
      const backendCase = readCase(path);
      const ops = backendCase.model.graph?.node.map((n) => n.opType ?? '') ?? [];
      expect(ops.length).toBeGreaterThan(0);
      for (const op of ops) expect(linearOps).toContain(op);
      const graph = translateCase(backendCase);
      try {
        const [input] = backendCase.inputs;
        const [output] = backendCase.outputs;
        if (input === undefined || output === undefined) throw new Error('no input or output');
        const [gradient, v, dy, av] = tf.tidy(() => {
          const f = (x: tf.Tensor): tf.Tensor => {
            const y = graph.run(new Map([[input.name, x]])).get(output.name);
            if (y === undefined) throw new Error(`no output ${output.name}`);
            return y;
          };
          const x = toTensor(input.value);
          const probe = tf.randomNormal(x.shape, 0, 1, 'float32', 1);
          const upstream = tf.randomNormal(output.value.dims, 0, 1, 'float32', 2);
          const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(upstream, f(t))))(x);
          const image = tf.sub(f(probe), f(tf.zerosLike(probe)));
          return [grad, probe, upstream, image].map((t) => t.dataSync());
        });
        const [lhs, leftScale] = dot(gradient, v);
        const [rhs, rightScale] = dot(dy, av);
        const scale = leftScale + rightScale;
        expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(1e-4 * scale);
      } finally {
        graph.dispose();
      }
    });
  },
);
