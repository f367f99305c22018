/** v/‖v‖₂ per example at any scale: the L2 attacks' and the inversion's step direction. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { unitDirectionPerExample } from '../../../../src-main/engine/attacks/constraints/per-example-norm';
import { useBackend } from '../use-backend';

describe('unit direction per example', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('has norm 1 from 1e-30 to 1e30, keeps the direction, and is 0 for a zero example', () => {
    const pattern = [3, -4, 0, 12];
    const scales = [1e-30, 1e-20, 1e-13, 1, 1e30, 0];
    const v = tf.tensor4d(
      scales.flatMap((s) => pattern.map((p) => p * s)),
      [scales.length, 2, 2, 1],
    );
    const unit = unitDirectionPerExample(v)
      .arraySync()
      .map((example) => example.flat(2));
    scales.forEach((scale, n) => {
      const row = unit[n] ?? [];
      if (scale === 0) expect(row.map(Math.abs)).toEqual([0, 0, 0, 0]);
      else row.forEach((value, i) => expect(value).toBeCloseTo((pattern[i] ?? 0) / 13, 6));
    });
    v.dispose();
  });
});
