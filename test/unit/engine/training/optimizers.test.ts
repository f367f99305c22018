import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OptimizerName } from '../../../../src-main/common/training-schemas';
import { createOptimizer } from '../../../../src-main/engine/training/optimizers';
import { maxRelativeError, useBackend } from '../use-backend';

/** Minimizes Σ (a·w − b)² for a few steps with either optimizer; returns w after each. */
function descend(optimizer: tf.Optimizer, w: tf.Variable, steps: number): number[][] {
  const a = tf.tensor1d([1, -2, 3, 0.5]);
  const b = tf.tensor1d([0.3, 1, -1, 2]);
  const trace: number[][] = [];
  for (let i = 0; i < steps; i++) {
    optimizer.minimize(() => tf.sum(tf.square(tf.sub(tf.mul(a, w), b))), false, [w]);
    trace.push(Array.from(w.dataSync()));
  }
  tf.dispose([a, b]);
  return trace;
}

const start = (): tf.Variable => tf.tidy(() => tf.variable(tf.tensor1d([0.1, 0.2, -0.3, 0.4])));

const reference: Record<OptimizerName, () => tf.Optimizer> = {
  sgd: () => tf.train.sgd(0.05),
  momentum: () => tf.train.momentum(0.05, 0.9),
  adam: () => tf.train.adam(0.05),
};

describe('checkpointable optimizers', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  for (const name of ['sgd', 'momentum', 'adam'] as const) {
    it(`${name} follows tf.train.${name}`, () => {
      const ours = start();
      const theirs = start();
      const optimizer = createOptimizer(name, 0.05);
      const tfOptimizer = reference[name]();
      const a = descend(optimizer, ours, 6);
      const b = descend(tfOptimizer, theirs, 6);
      // Adam: tfjs keeps β^t as a float32 product, this one computes 1 − β^t in double.
      expect(maxRelativeError(a.flat(), b.flat())).toBeLessThan(name === 'adam' ? 1e-5 : 1e-6);
      optimizer.dispose();
      tfOptimizer.dispose();
      tf.dispose([ours, theirs]);
    });

    it(`${name} state saved and restored continues bit for bit`, () => {
      const before = tf.memory().numTensors;
      const original = start();
      const optimizer = createOptimizer(name, 0.05);
      descend(optimizer, original, 3);
      const state = optimizer.exportState();
      expect(state.iterations).toBe(3);
      expect(state.slots.map((s) => s.name)).toEqual(
        { sgd: [], momentum: ['0.v'], adam: ['0.m', '0.v'] }[name],
      );
      const copy = tf.tidy(() => tf.variable(tf.tensor1d(Array.from(original.dataSync()))));
      const restored = createOptimizer(name, 0.05);
      restored.importState(state);
      optimizer.learningRate = 0.02;
      restored.learningRate = 0.02;
      expect(descend(restored, copy, 3)).toEqual(descend(optimizer, original, 3));
      optimizer.dispose();
      restored.dispose();
      tf.dispose([original, copy]);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('refuses a state of another optimizer or with missing slots', () => {
    const adam = createOptimizer('adam', 0.1);
    expect(() => adam.importState({ name: 'momentum', iterations: 1, slots: [] })).toThrow(
      /checkpoint's optimizer is momentum, the config asks for adam/,
    );
    expect(() =>
      adam.importState({
        name: 'adam',
        iterations: 1,
        slots: [{ name: '0.m', shape: [1], data: new Float32Array(1) }],
      }),
    ).toThrow(/not a multiple of 2/);
    adam.dispose();
  });
});
