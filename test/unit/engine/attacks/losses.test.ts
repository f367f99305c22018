import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  lossFor,
  registerLoss,
  registeredLosses,
} from '../../../../src-main/engine/attacks/loss-registry';
import {
  cwMarginPerExample,
  dlrPerExample,
  targetedDlrPerExample,
} from '../../../../src-main/engine/attacks/margin-losses';
import {
  crossEntropyLoss,
  type PerExampleLoss,
} from '../../../../src-main/engine/attacks/per-example-loss';
import { runAttack } from '../../../../src-main/engine/attacks/pgd';
import { representationDistancePerExample } from '../../../../src-main/engine/attacks/representation-loss';
import { useBackend } from '../use-backend';
import { attackFixture, type AttackFixture } from './attack-model';

// Two examples, five classes. Example 0: y = 0 is the top logit; example 1: y = 2 is not.
const logitsData = [
  [4, 1, 3, 0, -1],
  [2, 5, 1, 0.5, 3],
];
const labelsData = [0, 2];

function values(f: (z: tf.Tensor2D, y: tf.Tensor1D) => tf.Tensor1D): number[] {
  return tf.tidy(() =>
    Array.from(f(tf.tensor2d(logitsData), tf.tensor1d(labelsData, 'int32')).dataSync()),
  );
}

/** ∂(Σ_n L_n)/∂z through the engine's gradient path, [N·K] flat. */
function gradient(f: (z: tf.Tensor2D, y: tf.Tensor1D) => tf.Tensor1D): number[] {
  return tf.tidy(() => {
    const y = tf.tensor1d(labelsData, 'int32');
    const g = tf.grad((z: tf.Tensor) => tf.sum(f(z as tf.Tensor2D, y)))(tf.tensor2d(logitsData));
    return Array.from(g.dataSync());
  });
}

/** Central differences of Σ_n L_n, for comparison with `gradient`. */
function numericGradient(f: (z: tf.Tensor2D, y: tf.Tensor1D) => tf.Tensor1D): number[] {
  const flat = logitsData.flat();
  const h = 1e-3;
  return flat.map((_, i) =>
    tf.tidy(() => {
      const at = (shift: number): number => {
        const shifted = flat.map((v, j) => (j === i ? v + shift : v));
        const z = tf.tensor2d(shifted, [2, 5]);
        return tf.sum(f(z, tf.tensor1d(labelsData, 'int32'))).dataSync()[0] ?? NaN;
      };
      return (at(h) - at(-h)) / (2 * h);
    }),
  );
}

describe('margin losses on hand-made logits', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('CW margin is max_{j≠y} z_j − z_y', () => {
    // Example 0: max over {1,3,0,−1} = 3, minus z_0 = 4 → −1. Example 1: 5 − 1 = 4.
    expect(values(cwMarginPerExample)).toEqual([-1, 4]);
    expect(gradient(cwMarginPerExample)).toEqual([-1, 0, 1, 0, 0, 0, 1, -1, 0, 0]);
  });

  it('DLR is −(z_y − max_{j≠y} z_j)/(z_π1 − z_π3)', () => {
    // Example 0: sorted 4,3,1 → −(4 − 3)/(4 − 1) = −1/3. Example 1: sorted 5,3,2 → −(1 − 5)/(5 − 2).
    const v = values(dlrPerExample);
    expect(v[0]).toBeCloseTo(-1 / 3, 6);
    expect(v[1]).toBeCloseTo(4 / 3, 6);
    const analytic = gradient(dlrPerExample);
    const numeric = numericGradient(dlrPerExample);
    analytic.forEach((g, i) => expect(g).toBeCloseTo(numeric[i] ?? NaN, 2));
  });

  it('targeted DLR is −(z_y − z_t)/(z_π1 − (z_π3 + z_π4)/2)', () => {
    const withTargets = (z: tf.Tensor2D, y: tf.Tensor1D): tf.Tensor1D =>
      targetedDlrPerExample(z, y, tf.tensor1d([3, 1], 'int32'));
    // Example 0 (t = 3): sorted 4,3,1,0 → −(4 − 0)/(4 − 0.5) = −8/7.
    // Example 1 (t = 1): sorted 5,3,2,1 → −(1 − 5)/(5 − 1.5) = 8/7.
    const v = values(withTargets);
    expect(v[0]).toBeCloseTo(-8 / 7, 6);
    expect(v[1]).toBeCloseTo(8 / 7, 6);
    const analytic = gradient(withTargets);
    const numeric = numericGradient(withTargets);
    analytic.forEach((g, i) => expect(g).toBeCloseTo(numeric[i] ?? NaN, 2));
  });

  it('DLR is invariant to shifting and scaling the logits', () => {
    const shifted = tf.tidy(() =>
      Array.from(
        dlrPerExample(
          tf.add(tf.mul(tf.tensor2d(logitsData), 7), -3) as tf.Tensor2D,
          tf.tensor1d(labelsData, 'int32'),
        ).dataSync(),
      ),
    );
    const plain = values(dlrPerExample);
    shifted.forEach((v, i) => expect(v).toBeCloseTo(plain[i] ?? NaN, 5));
  });

  it('refuses too few classes and mismatched targets', () => {
    expect(() =>
      tf.tidy(() => dlrPerExample(tf.tensor2d([[1, 2]]), tf.tensor1d([0], 'int32'))),
    ).toThrow(/needs at least 3 classes, the model has 2/);
    expect(() =>
      tf.tidy(() =>
        targetedDlrPerExample(
          tf.tensor2d(logitsData),
          tf.tensor1d(labelsData, 'int32'),
          tf.tensor1d([1], 'int32'),
        ),
      ),
    ).toThrow(/2 labels but 1 target classes/);
  });

  it('representation distance is ‖r − r_t‖₂ with a finite gradient at r = r_t', () => {
    const result = tf.tidy(() => {
      const r = tf.tensor2d([
        [3, 4],
        [1, 1],
      ]);
      const target = tf.tensor2d([
        [0, 0],
        [1, 1],
      ]);
      const distance = representationDistancePerExample(r, target).dataSync();
      const g = tf.grad((x: tf.Tensor) =>
        tf.sum(representationDistancePerExample(x as tf.Tensor2D, target)),
      )(r);
      return { distance: Array.from(distance), gradient: Array.from(g.dataSync()) };
    });
    expect(result.distance).toEqual([5, 0]);
    expect(result.gradient[0]).toBeCloseTo(0.6, 6);
    expect(result.gradient[1]).toBeCloseTo(0.8, 6);
    expect(result.gradient.slice(2)).toEqual([0, 0]);
    expect(() =>
      tf.tidy(() => representationDistancePerExample(tf.zeros([2, 3]), tf.zeros([2, 2]))),
    ).toThrow(/target representations are \[2, 2\] but the model's are \[2, 3\]/);
  });
});

describe('the loss registry', () => {
  it('names every built-in loss and makes them', () => {
    expect(registeredLosses().map((e) => e.name)).toEqual([
      'cross-entropy',
      'cw-margin',
      'dlr',
      'dlr-targeted',
      'representation-distance',
    ]);
    expect(lossFor('cw-margin').name).toBe('cw-margin');
    const targets = tf.tensor1d([1, 2], 'int32');
    expect(lossFor('dlr-targeted', { targetClasses: targets }).name).toBe('dlr-targeted');
    targets.dispose();
  });

  it('refuses unknown names, duplicates and missing inputs', () => {
    expect(() => lossFor('hinge')).toThrow(/unknown loss hinge; use one of cross-entropy, /);
    expect(() =>
      registerLoss({
        name: 'dlr',
        description: '',
        needs: 'labels',
        create: () => crossEntropyLoss,
      }),
    ).toThrow(/a loss named dlr is already registered/);
    expect(() => lossFor('dlr-targeted')).toThrow(/needs one target class per example/);
    expect(() => lossFor('representation-distance')).toThrow(
      /needs one target representation per example/,
    );
  });
});

describe('losses inside an attack', () => {
  let fixture: AttackFixture;
  beforeAll(async () => {
    await useBackend('wasm');
    fixture = attackFixture();
  });
  afterAll(() => fixture.dispose());

  const options = {
    constraint: 'linf' as const,
    epsilon: 0.15,
    steps: 10,
    stepSize: 0.04,
    randomStart: true,
    restarts: 1,
    targetClass: null,
    seed: 3,
  };

  it.each(['cw-margin', 'dlr'])('PGD with %s raises that loss', (name) => {
    const loss = lossFor(name);
    const outcome = runAttack(fixture.model, fixture.images, fixture.labels, { ...options, loss });
    const first = outcome.lossPerStep[0] ?? NaN;
    const last = outcome.lossPerStep.at(-1) ?? NaN;
    expect(last).toBeGreaterThan(first);
    tf.dispose([outcome.adversarial, outcome.loss]);
  });

  it('takes a custom per-example loss: PGD raises the logit of class 0', () => {
    const classZero: PerExampleLoss = {
      name: 'logit-0',
      compute: (output) =>
        tf.tidy(() => tf.reshape(tf.slice(output.logits, [0, 0], [-1, 1]), [-1]) as tf.Tensor1D),
    };
    const before = tf.memory().numTensors;
    const outcome = runAttack(fixture.model, fixture.images, fixture.labels, {
      ...options,
      loss: classZero,
    });
    const logit = (x: tf.Tensor4D): number =>
      tf.tidy(
        () =>
          tf.mean(tf.slice(fixture.model.forward(x).logits, [0, 0], [-1, 1])).dataSync()[0] ?? NaN,
      );
    expect(logit(outcome.adversarial)).toBeGreaterThan(logit(fixture.images) + 1);
    tf.dispose([outcome.adversarial, outcome.loss]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('representation distance pulls r(x′) toward a target (targeted)', () => {
    const source = tf.slice(fixture.images, [0, 0, 0, 0], [4, -1, -1, -1]);
    const other = tf.slice(fixture.images, [4, 0, 0, 0], [4, -1, -1, -1]);
    const labels = tf.slice(fixture.labels, [0], [4]);
    const target = tf.tidy(() => fixture.model.forward(other).representation);
    const loss = lossFor('representation-distance', { targetRepresentations: target });
    const outcome = runAttack(fixture.model, source, labels, {
      ...options,
      epsilon: 0.3,
      stepSize: 0.05,
      targetClass: 0, // targeted: PGD lowers the distance (the class is unused by this loss)
      loss,
    });
    const distance = (x: tf.Tensor4D): number =>
      tf.tidy(
        () =>
          tf
            .mean(representationDistancePerExample(fixture.model.forward(x).representation, target))
            .dataSync()[0] ?? NaN,
      );
    expect(distance(outcome.adversarial)).toBeLessThan(distance(source) * 0.8);
    tf.dispose([outcome.adversarial, outcome.loss, source, other, labels, target]);
  });
});
