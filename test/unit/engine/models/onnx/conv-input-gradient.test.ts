/**
 * The imported Conv's input gradient on the ONNX backend test cases' convolutions (strides,
 * asymmetric and SAME_LOWER pads, groups, depthwise, dilation 2 at stride 2), without PyTorch:
 * attacks need ∂/∂X, and the backend cases check only the forward. Conv is affine in X,
 * f(X) = A·X + b, so the gradient of ⟨dY, f(X)⟩ is Aᵀ·dY whatever X is, and for any probe V
 *   ⟨Aᵀ·dY, V⟩ = ⟨dY, A·V⟩ = ⟨dY, f(V) − f(0)⟩,
 * the adjoint identity. The right side uses only the forward, which the backend suite checks
 * against the expected outputs; a gradient that is not the forward's adjoint (a dropped
 * dilation, a misplaced pad, a wrong group) fails it for all but a measure-zero set of random
 * dY, V. Tolerance: 1e-4 of Σ|terms| of the two float32 sums.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../use-backend';
import { readCase, testDataRoot, toTensor, translateCase } from './onnx-test-data';

/** Every single-Conv case of the backend suite that the importer runs (2-D, float32). */
const convCases = [
  'node/test_basic_conv_with_padding',
  'node/test_basic_conv_without_padding',
  'node/test_conv_with_autopad_same',
  'node/test_conv_with_strides_and_asymmetric_padding',
  'node/test_conv_with_strides_no_padding',
  'node/test_conv_with_strides_padding',
  'pytorch-converted/test_Conv2d',
  'pytorch-converted/test_Conv2d_depthwise',
  'pytorch-converted/test_Conv2d_depthwise_padded',
  'pytorch-converted/test_Conv2d_depthwise_strided',
  'pytorch-converted/test_Conv2d_depthwise_with_multiplier',
  'pytorch-converted/test_Conv2d_dilated',
  'pytorch-converted/test_Conv2d_groups',
  'pytorch-converted/test_Conv2d_groups_thnn',
  'pytorch-converted/test_Conv2d_no_bias',
  'pytorch-converted/test_Conv2d_padding',
  'pytorch-converted/test_Conv2d_strided',
  'pytorch-operator/test_operator_conv',
];

describe.skipIf(!existsSync(join(testDataRoot, 'node')))(
  'Conv input gradients on the ONNX backend cases (adjoint identity)',
  () => {
    beforeAll(async () => {
      await useBackend('wasm');
    });

    it.each(convCases)('%s: ⟨∂/∂X ⟨dY, f(X)⟩, V⟩ = ⟨dY, f(V) − f(0)⟩', (path) => {
      const backendCase = readCase(path);
      expect(backendCase.model.graph?.node.map((n) => n.opType)).toEqual(['Conv']);
      const graph = translateCase(backendCase);
      try {
        const [input] = backendCase.inputs;
        const [output] = backendCase.outputs;
        if (input === undefined || output === undefined) throw new Error('no input or output');
        const [lhs, rhs, scale] = tf.tidy(() => {
          const f = (x: tf.Tensor): tf.Tensor => {
            const y = graph.run(new Map([[input.name, x]])).get(output.name);
            if (y === undefined) throw new Error(`no output ${output.name}`);
            return y;
          };
          const x = toTensor(input.value);
          const v = tf.randomNormal(x.shape, 0, 1, 'float32', 1);
          const dy = tf.randomNormal(output.value.dims, 0, 1, 'float32', 2);
          const gradient = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(dy, f(t))))(x);
          const av = tf.sub(f(v), f(tf.zerosLike(v)));
          const left = tf.mul(gradient, v);
          const right = tf.mul(dy, av);
          return [
            tf.sum(left).arraySync() as number,
            tf.sum(right).arraySync() as number,
            (tf.sum(tf.abs(left)).arraySync() as number) +
              (tf.sum(tf.abs(right)).arraySync() as number),
          ];
        });
        expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(1e-4 * scale);
      } finally {
        graph.dispose();
      }
    });
  },
);
