/**
 * FAB's projection onto a hyperplane inside the [0,1] box (engine/attacks/fab-projection.ts):
 * closed forms where no box bound is active, a brute-force search over the feasible set where
 * some are, the corner where the hyperplane misses the box, and no step for a zero gradient.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  projectOntoHyperplaneInBox,
  type FabNorm,
} from '../../../../src-main/engine/attacks/fab-projection';
import { mulberry32 } from '../../../../src-main/engine/random/seeded-random';
import { useBackend } from '../use-backend';

interface Case {
  w: number[];
  c: number;
  /** The point p in [0,1]^d: the box for δ is [−p, 1 − p]. */
  p: number[];
}

function project(norm: FabNorm, cases: Case[]): number[][] {
  return tf.tidy(() => {
    const w = tf.tensor2d(cases.map((k) => k.w));
    const p = tf.tensor2d(cases.map((k) => k.p));
    const c = tf.tensor1d(cases.map((k) => k.c));
    return projectOntoHyperplaneInBox(norm, w, c, tf.neg(p), tf.sub(1, p)).arraySync();
  });
}

const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * (b[i] ?? NaN), 0);
const l2 = (v: number[]) => Math.sqrt(dot(v, v));
const linf = (v: number[]) => Math.max(...v.map(Math.abs));
const normOf = (norm: FabNorm, v: number[]) => (norm === 'l2' ? l2(v) : linf(v));

/**
 * min ‖δ‖ over {δ : ⟨w, δ⟩ = c, −p ≤ δ ≤ 1 − p} in 3 dimensions by brute force: δ = δ₀ + s·e₁
 * + t·e₂ on a 1201² grid of the plane (e₁, e₂ orthonormal, ⊥ w), in-box points only.
 */
function bruteForce(norm: FabNorm, { w, c, p }: Case): number {
  const base = w.map((wi) => (c * wi) / dot(w, w));
  const helper = Math.abs(w[0] ?? 0) < 0.9 * l2(w) ? [1, 0, 0] : [0, 1, 0];
  const orthogonal = (v: number[], against: number[][]) =>
    against.reduce((u, a) => u.map((ui, i) => ui - (dot(u, a) / dot(a, a)) * (a[i] ?? 0)), v);
  const e1raw = orthogonal(helper, [w]);
  const e1 = e1raw.map((v) => v / l2(e1raw));
  const e2raw = orthogonal(
    [0, 0, 1].map((v, i) => v + (i === 1 ? 0.3 : 0)),
    [w, e1],
  );
  const e2 = e2raw.map((v) => v / l2(e2raw));
  let best = Infinity;
  const steps = 600;
  const reach = 2;
  for (let i = -steps; i <= steps; i++) {
    for (let j = -steps; j <= steps; j++) {
      const s = (reach * i) / steps;
      const t = (reach * j) / steps;
      const delta = base.map((b, k) => b + s * (e1[k] ?? 0) + t * (e2[k] ?? 0));
      if (delta.every((d, k) => d >= -(p[k] ?? 0) && d <= 1 - (p[k] ?? 0))) {
        best = Math.min(best, normOf(norm, delta));
      }
    }
  }
  return best;
}

describe('FAB projection onto a hyperplane in the box', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('is the closed form when no box bound is active', () => {
    const random = mulberry32(7);
    const d = 50;
    const cases: Case[] = [1, -1, 0.5].map((sign) => ({
      w: Array.from({ length: d }, () => random() * 2 - 1),
      c: sign * 0.3,
      p: Array.from({ length: d }, () => 0.4 + 0.2 * random()),
    }));
    const l2Steps = project('l2', cases);
    const linfSteps = project('linf', cases);
    cases.forEach(({ w, c }, n) => {
      // L2: δ = c·w/‖w‖²;  L∞: δ = c·sign(w)/‖w‖₁.
      const closedL2 = w.map((wi) => (c * wi) / dot(w, w));
      const l1 = w.reduce((s, wi) => s + Math.abs(wi), 0);
      const closedLinf = w.map((wi) => (c * Math.sign(wi)) / l1);
      (l2Steps[n] ?? []).forEach((v, i) => expect(v).toBeCloseTo(closedL2[i] ?? NaN, 5));
      (linfSteps[n] ?? []).forEach((v, i) => expect(v).toBeCloseTo(closedLinf[i] ?? NaN, 5));
    });
  });

  it.each(['l2', 'linf'] as const)(
    '%s: lands on the plane inside the box, as short as a brute-force search finds',
    (norm) => {
      const cases: Case[] = [
        // Pixels at 0 and 1 that cannot move in w's direction: the bounds bind.
        { w: [1, 0.5, -0.8], c: 0.5, p: [0.9, 0.2, 0.1] },
        { w: [0.2, 1, 0.3], c: -0.4, p: [0.5, 0.1, 0.95] },
        { w: [2, -1, 0.5], c: 1.4, p: [0.7, 0.6, 0.0] },
        { w: [1, 1, 1], c: 0.6, p: [1, 0.5, 0] },
      ];
      const steps = project(norm, cases);
      cases.forEach((k, n) => {
        const delta = steps[n] ?? [];
        expect(dot(k.w, delta)).toBeCloseTo(k.c, 5);
        delta.forEach((d, i) => {
          expect(d).toBeGreaterThanOrEqual(-(k.p[i] ?? 0) - 1e-6);
          expect(d).toBeLessThanOrEqual(1 - (k.p[i] ?? 0) + 1e-6);
        });
        const found = normOf(norm, delta);
        const searched = bruteForce(norm, k);
        // The grid's spacing is 2/600: the search is at most a few spacings above the optimum.
        expect(found).toBeLessThanOrEqual(searched + 1e-5);
        expect(found).toBeGreaterThan(searched - 0.02);
      });
    },
  );

  it('goes to the box corner when the hyperplane misses the box, and nowhere for w = 0', () => {
    const cases: Case[] = [
      // max over the box of ⟨w, δ⟩ is 0.5·1 + 0.5·2 = 1.5 < 5.
      { w: [1, -2], c: 5, p: [0.5, 0.5] },
      { w: [0, 0], c: 1, p: [0.5, 0.5] },
      { w: [1, 1], c: 0, p: [0.3, 0.3] },
    ];
    for (const norm of ['l2', 'linf'] as const) {
      const [corner, zero, none] = project(norm, cases);
      expect(corner?.[0]).toBeCloseTo(0.5, 6);
      expect(corner?.[1]).toBeCloseTo(-0.5, 6);
      expect(zero).toEqual([0, 0]);
      expect(none).toEqual([0, 0]);
    }
  });
});
