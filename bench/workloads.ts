/**
 * The four workloads of issue 3, run through the engine's own code paths (runAttack with its
 * constraints, trainingStep with the engine's optimizer, invertRepresentation, models from
 * createModel's built-in registry). Each one is prepared once (model, seeded inputs) and then
 * run with a number of "units" — its loop length — so a slow backend can be probed with 1–2
 * units and extrapolated; a very slow one also at a smaller batch (measure.ts, the scout).
 *
 *   W1 attack:      PGD L∞, ε 0.3, α 0.01, sign step then projection, 20 steps, batch 128 of
 *                   28×28×1 through madry-cnn. Units: PGD steps. Rate: example-steps/s.
 *   W2 adv. train:  PGD-7 as W1, then one momentum-SGD step on the adversarial batch.
 *                   Units: attack steps (+1 training step). Rate: examples/s.
 *   W3 train:       one momentum-SGD step, batch 128 of 32×32×3, cifar-cnn. Units: 1.
 *   W4 inversion:   50 normalized-L2 steps (α 0.1, clamp [0,1]) minimizing
 *                   ‖r(x) − r_t‖₂ / ‖r_t‖₂ over cifar-cnn's 256-d representation, batch 64,
 *                   r_t the representations of 64 other images (engine/features/
 *                   invert-representation.ts). Units: steps. Rate: example-steps/s.
 *   W5 ONNX attack: PGD-10 L∞, ε 8/255, α 2/255, no random start, cross-entropy, batch 32 of
 *                   32×32×3 through a PreAct ResNet-18 imported from ONNX (issue 13). The file
 *                   and its images (the seeded uniform [0,1] batch of test/reference/
 *                   onnx_fixtures.py) come from bench/torch_reference.py --onnx-dir, which times
 *                   the same attack on the same weights and pixels in PyTorch; labels are the
 *                   model's clean predictions. Units: PGD steps. Rate: example-steps/s.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { AttackOptions } from '../src-main/engine/attacks/attack-options';
import { runAttack } from '../src-main/engine/attacks/pgd';
import { invertRepresentation } from '../src-main/engine/features/invert-representation';
import { createModel, modelFromTensors } from '../src-main/engine/models/create-model';
import type { ImportedOnnxModel } from '../src-main/engine/models/onnx/import-onnx-model';
import type { Model } from '../src-main/engine/models/model-types';
import type { ModelSpec } from '../src-main/engine/engine-types';
import { deriveSeed } from '../src-main/engine/random/seeded-random';
import { createOptimizer } from '../src-main/engine/training/optimizers';
import { trainingStep } from '../src-main/engine/training/training-step';

export type WorkloadName = 'W1' | 'W2' | 'W3' | 'W4' | 'W5';

/** W5's files, as bench/torch_reference.py --onnx-dir wrote them; or why there are none. */
export type W5Source =
  { onnx: string; images: string; shape: [number, number, number, number] } | { skipped: string };

/**
 * W5's inputs, from bench/torch_reference.py: the imported PreAct ResNet-18 and its images
 * (NCHW float32, as PyTorch holds them); or, where there are none, why (the row says it).
 */
export type W5Inputs =
  | { model: ImportedOnnxModel; images: Float32Array; shape: [number, number, number, number] }
  | { skipped: string };

export interface Workload {
  name: WorkloadName;
  description: string;
  /** Units of a full run (see the file comment). */
  fullUnits: number;
  /** What the rate counts, per second. */
  rateUnit: 'ex-steps/s' | 'ex/s';
  /** Examples per batch; the scout (measure.ts) runs 1/SCOUT_DIVISOR of it. */
  batch: number;
  /** Rate numerator of a full run: example-steps or examples. */
  work: number;
}

export interface PreparedWorkload {
  /** Runs `units` units and waits for the results (synchronous backends, data read back). */
  run(units: number): void;
  dispose(): void;
}

export const workloads: readonly Workload[] = [
  {
    name: 'W1',
    description: 'PGD-20 L∞ attack, 128×28×28×1, madry-cnn',
    fullUnits: 20,
    rateUnit: 'ex-steps/s',
    batch: 128,
    work: 128 * 20,
  },
  {
    name: 'W2',
    description: 'PGD-7 adversarial training step, 128×28×28×1, madry-cnn',
    fullUnits: 7,
    rateUnit: 'ex/s',
    batch: 128,
    work: 128,
  },
  {
    name: 'W3',
    description: 'momentum-SGD training step, 128×32×32×3, cifar-cnn',
    fullUnits: 1,
    rateUnit: 'ex/s',
    batch: 128,
    work: 128,
  },
  {
    name: 'W4',
    description: 'representation inversion, 50 L2 steps, 64×32×32×3, cifar-cnn',
    fullUnits: 50,
    rateUnit: 'ex-steps/s',
    batch: 64,
    work: 64 * 50,
  },
  {
    name: 'W5',
    description: 'PGD-10 L∞ attack, 32×32×32×3, PreAct ResNet-18 imported from ONNX',
    fullUnits: 10,
    rateUnit: 'ex-steps/s',
    batch: 32,
    work: 32 * 10,
  },
];

export const BENCH_SEED = 20240603;
/** The scout's batch is 1/16 of the workload's: 8 images (4 for W4), a few seconds on pure cpu. */
export const SCOUT_DIVISOR = 16;
const LEARNING_RATE = 0.01;

const mnistSpec: ModelSpec = { architecture: 'madry-cnn', inputShape: [28, 28, 1], numClasses: 10 };
const cifarSpec: ModelSpec = { architecture: 'cifar-cnn', inputShape: [32, 32, 3], numClasses: 10 };

function seededImages(shape: [number, number, number, number], part: string): tf.Tensor4D {
  return tf.randomUniform(shape, 0, 1, 'float32', deriveSeed(BENCH_SEED, part)) as tf.Tensor4D;
}

function seededLabels(count: number, part: string): tf.Tensor1D {
  return tf.tidy(() =>
    tf.cast(
      tf.floor(tf.randomUniform([count], 0, 10, 'float32', deriveSeed(BENCH_SEED, part))),
      'int32',
    ),
  ) as tf.Tensor1D;
}

function linfAttack(steps: number): AttackOptions {
  return {
    constraint: 'linf',
    epsilon: 0.3,
    steps,
    stepSize: 0.01,
    randomStart: false,
    restarts: 1,
    targetClass: null,
    seed: BENCH_SEED,
  };
}

function attackAndRead(
  model: Model,
  images: tf.Tensor4D,
  labels: tf.Tensor1D,
  options: AttackOptions,
): void {
  const outcome = runAttack(model, images, labels, options);
  outcome.adversarial.dataSync();
  tf.dispose([outcome.adversarial, outcome.loss]);
}

function prepareW1(batch: number): PreparedWorkload {
  const model = createModel(mnistSpec, deriveSeed(BENCH_SEED, 'madry'));
  const images = seededImages([batch, 28, 28, 1], 'w1.images');
  const labels = seededLabels(batch, 'w1.labels');
  return {
    run: (units) => attackAndRead(model, images, labels, linfAttack(units)),
    dispose: () => {
      model.dispose();
      tf.dispose([images, labels]);
    },
  };
}

function prepareW2(batch: number): PreparedWorkload {
  const model = createModel(mnistSpec, deriveSeed(BENCH_SEED, 'madry'));
  const optimizer = createOptimizer('momentum', LEARNING_RATE);
  const images = seededImages([batch, 28, 28, 1], 'w2.images');
  const labels = seededLabels(batch, 'w2.labels');
  return {
    run: (units) => {
      const outcome = runAttack(model, images, labels, linfAttack(units));
      try {
        trainingStep(model, optimizer, outcome.adversarial, labels);
      } finally {
        tf.dispose([outcome.adversarial, outcome.loss]);
      }
    },
    dispose: () => {
      optimizer.dispose();
      model.dispose();
      tf.dispose([images, labels]);
    },
  };
}

function prepareW3(batch: number): PreparedWorkload {
  const model = createModel(cifarSpec, deriveSeed(BENCH_SEED, 'cifar'));
  const optimizer = createOptimizer('momentum', LEARNING_RATE);
  const images = seededImages([batch, 32, 32, 3], 'w3.images');
  const labels = seededLabels(batch, 'w3.labels');
  return {
    run: (units) => {
      for (let unit = 0; unit < units; unit++) trainingStep(model, optimizer, images, labels);
    },
    dispose: () => {
      optimizer.dispose();
      model.dispose();
      tf.dispose([images, labels]);
    },
  };
}

function prepareW4(batch: number): PreparedWorkload {
  const model = createModel(cifarSpec, deriveSeed(BENCH_SEED, 'cifar'));
  const start = seededImages([batch, 32, 32, 3], 'w4.start');
  const targetImages = seededImages([batch, 32, 32, 3], 'w4.target');
  const target = tf.tidy(() => model.forward(targetImages).representation);
  return {
    run: (units) => {
      const outcome = invertRepresentation(model, start, target, { steps: units, stepSize: 0.1 });
      outcome.images.dataSync();
      tf.dispose([outcome.images, outcome.loss]);
    },
    dispose: () => {
      model.dispose();
      tf.dispose([start, targetImages, target]);
    },
  };
}

function prepareW5(batch: number, inputs: W5Inputs): PreparedWorkload {
  if ('skipped' in inputs) throw new Error(inputs.skipped);
  const { model: imported, images: pixels, shape } = inputs;
  const [n, c, h, w] = shape;
  if (batch > n) throw new Error(`W5 has ${n} images, not ${batch}`);
  const tensors = new Map(imported.weights.map((wt) => [wt.name, tf.tensor(wt.data, wt.shape)]));
  let model: Model;
  try {
    model = modelFromTensors(imported.spec, tensors);
  } finally {
    tf.dispose([...tensors.values()]);
  }
  const images = tf.tidy(() =>
    tf.transpose(
      tf.tensor4d(pixels.subarray(0, batch * c * h * w), [batch, c, h, w]),
      [0, 2, 3, 1],
    ),
  ) as tf.Tensor4D;
  const labels = tf.tidy(() => tf.cast(tf.argMax(model.forward(images).logits, 1), 'int32'));
  const options: AttackOptions = {
    constraint: 'linf',
    epsilon: 8 / 255,
    steps: 10,
    stepSize: 2 / 255,
    randomStart: false,
    restarts: 1,
    targetClass: null,
    seed: BENCH_SEED,
  };
  return {
    run: (units) =>
      attackAndRead(model, images, labels as tf.Tensor1D, { ...options, steps: units }),
    dispose: () => {
      model.dispose();
      tf.dispose([images, labels]);
    },
  };
}

/**
 * The workload at its full shape, or at a smaller batch (the scout's). W5 needs its inputs
 * (torch_reference.py's exported model); without them it throws, and the row says why.
 */
export function prepareWorkload(
  workload: Workload,
  batch = workload.batch,
  w5: W5Inputs = { skipped: 'no ONNX model for W5' },
): PreparedWorkload {
  switch (workload.name) {
    case 'W1':
      return prepareW1(batch);
    case 'W2':
      return prepareW2(batch);
    case 'W3':
      return prepareW3(batch);
    case 'W4':
      return prepareW4(batch);
    case 'W5':
      return prepareW5(batch, w5);
  }
}
