/**
 * A small pre-activation ResNet (He et al. 2016, "Identity Mappings in Deep Residual Networks"),
 * sized for 32×32 and 28×28 images and for training on a CPU: 14 weight layers (ResNet-14).
 *
 *   x ↦ 2x − 1 → conv 3×3×16 (stem)
 *   → stage 1: 2 blocks, 16 channels, stride 1    [N,H,W,16]
 *   → stage 2: 2 blocks, 32 channels, first stride 2    [N,H/2,W/2,32]
 *   → stage 3: 2 blocks, 64 channels, first stride 2    [N,H/4,W/4,64]
 *   → BN → ReLU → global average pool (= representation r, [N,64]) → dense classes (= logits)
 * (H/2 meaning ⌈H/2⌉: 32 → 16 → 8, 28 → 14 → 7.)
 *
 * Pre-activation basic block with input h (Cin channels) and output Cout channels, stride s:
 *   a = ReLU(BN₁(h))
 *   shortcut = h                        when s = 1 and Cin = Cout (identity mapping)
 *            = conv 1×1×Cout, stride s, of a   otherwise (projection, as in the paper's code)
 *   out = conv 3×3 (stride 1) of ReLU(BN₂(conv 3×3 (stride s) of a)) + shortcut
 * Convolutions have no bias (a BatchNorm follows each one, or the final BN); 3×3 ones pad 1 on
 * every side and 1×1 ones pad 0, exactly PyTorch's Conv2d(padding=1 / 0), so exported weights
 * give the same outputs there. BatchNorm: see batch-norm.ts (its running statistics are
 * buffers, not trainable).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec } from '../engine-types';
import {
  batchNorm,
  batchNormParameters,
  BATCH_NORM_EPSILON,
  BATCH_NORM_MOMENTUM,
} from './batch-norm';
import { conv, dense, globalAveragePool, normalizeInput, representationRelu } from './layers';
import { normalizeLayer, type GraphLayer } from './model-graph';
import type { FunctionalArchitecture, ParameterMap, ParameterSpec } from './model-types';
import { weightAndBias } from './parameter-specs';

/** The network's shape, one field per choice (nanoGPT's GPTConfig style). */
const CONFIG = {
  /** Output channels of the stem convolution. */
  stemWidth: 16,
  /** Channels of each stage; every stage after the first halves height and width. */
  stageWidths: [16, 32, 64],
  /** Basic blocks per stage (2 ⇒ 1 + 3·2·2 + 1 = 14 weight layers). */
  blocksPerStage: 2,
} as const;

interface BlockPlan {
  /** Weight-name prefix, e.g. 'stage2.block1'. */
  prefix: string;
  inChannels: number;
  outChannels: number;
  stride: number;
  projection: boolean;
}

function blockPlans(): BlockPlan[] {
  const plans: BlockPlan[] = [];
  let channels: number = CONFIG.stemWidth;
  CONFIG.stageWidths.forEach((width, stage) => {
    for (let block = 0; block < CONFIG.blocksPerStage; block++) {
      const stride = stage > 0 && block === 0 ? 2 : 1;
      plans.push({
        prefix: `stage${stage + 1}.block${block + 1}`,
        inChannels: channels,
        outChannels: width,
        stride,
        projection: stride !== 1 || channels !== width,
      });
      channels = width;
    }
  });
  return plans;
}

const plans = blockPlans();
const finalWidth = CONFIG.stageWidths[CONFIG.stageWidths.length - 1] ?? CONFIG.stemWidth;

function convSpec(
  name: string,
  kernel: number,
  inChannels: number,
  outChannels: number,
): ParameterSpec {
  return {
    name: `${name}.weight`,
    shape: [kernel, kernel, inChannels, outChannels],
    initializer: 'he-normal',
    fanIn: kernel * kernel * inChannels,
  };
}

function blockForward(
  h: tf.Tensor4D,
  plan: BlockPlan,
  parameters: ParameterMap,
  training: boolean,
): tf.Tensor4D {
  const p = plan.prefix;
  const a = tf.relu(batchNorm(h, parameters, `${p}.bn1`, training));
  const shortcut = plan.projection ? conv(a, parameters, `${p}.shortcut`, plan.stride, 'valid') : h;
  const inner = conv(a, parameters, `${p}.conv1`, plan.stride, 1);
  const out = conv(
    tf.relu(batchNorm(inner, parameters, `${p}.bn2`, training)),
    parameters,
    `${p}.conv2`,
    1,
    1,
  );
  return tf.add(out, shortcut);
}

function blockGraph(plan: BlockPlan, input: string): GraphLayer[] {
  const p = plan.prefix;
  const bn = (id: string, from: string): GraphLayer => ({
    id,
    inputs: [from],
    kind: 'batch-norm',
    weights: id,
    epsilon: BATCH_NORM_EPSILON,
    momentum: BATCH_NORM_MOMENTUM,
  });
  const convLayer = (
    id: string,
    from: string,
    kernel: number,
    filters: number,
    strides: number,
    padding: 1 | 'valid',
  ): GraphLayer => ({
    id,
    inputs: [from],
    kind: 'conv2d',
    weights: id,
    kernel,
    filters,
    strides,
    padding,
    bias: false,
    activation: 'linear',
  });
  const layers: GraphLayer[] = [
    bn(`${p}.bn1`, input),
    { id: `${p}.relu1`, inputs: [`${p}.bn1`], kind: 'relu' },
  ];
  if (plan.projection) {
    layers.push(
      convLayer(`${p}.shortcut`, `${p}.relu1`, 1, plan.outChannels, plan.stride, 'valid'),
    );
  }
  layers.push(
    convLayer(`${p}.conv1`, `${p}.relu1`, 3, plan.outChannels, plan.stride, 1),
    bn(`${p}.bn2`, `${p}.conv1`),
    { id: `${p}.relu2`, inputs: [`${p}.bn2`], kind: 'relu' },
    convLayer(`${p}.conv2`, `${p}.relu2`, 3, plan.outChannels, 1, 1),
    {
      id: `${p}.add`,
      inputs: [`${p}.conv2`, plan.projection ? `${p}.shortcut` : input],
      kind: 'add',
    },
  );
  return layers;
}

export const preactResnet: FunctionalArchitecture = {
  name: 'preact-resnet',
  description:
    'pre-activation ResNet-14: conv 3×3×16 → 3 stages × 2 blocks (16/32/64) → BN-ReLU → avg pool → classes',
  parameters(spec: ModelSpec): ParameterSpec[] {
    const specs: ParameterSpec[] = [convSpec('conv0', 3, spec.inputShape[2], CONFIG.stemWidth)];
    for (const plan of plans) {
      const p = plan.prefix;
      specs.push(
        ...batchNormParameters(`${p}.bn1`, plan.inChannels),
        convSpec(`${p}.conv1`, 3, plan.inChannels, plan.outChannels),
        ...batchNormParameters(`${p}.bn2`, plan.outChannels),
        convSpec(`${p}.conv2`, 3, plan.outChannels, plan.outChannels),
      );
      if (plan.projection)
        specs.push(convSpec(`${p}.shortcut`, 1, plan.inChannels, plan.outChannels));
    }
    specs.push(
      ...batchNormParameters('bn', finalWidth),
      ...weightAndBias('fc', [finalWidth, spec.numClasses], finalWidth),
    );
    return specs;
  },
  graph(spec) {
    const layers: GraphLayer[] = [
      normalizeLayer(),
      {
        id: 'conv0',
        inputs: ['normalize'],
        kind: 'conv2d',
        weights: 'conv0',
        kernel: 3,
        filters: CONFIG.stemWidth,
        strides: 1,
        padding: 1,
        bias: false,
        activation: 'linear',
      },
    ];
    let last = 'conv0';
    for (const plan of plans) {
      layers.push(...blockGraph(plan, last));
      last = `${plan.prefix}.add`;
    }
    layers.push(
      {
        id: 'bn',
        inputs: [last],
        kind: 'batch-norm',
        weights: 'bn',
        epsilon: BATCH_NORM_EPSILON,
        momentum: BATCH_NORM_MOMENTUM,
      },
      { id: 'relu', inputs: ['bn'], kind: 'relu' },
      { id: 'pool', inputs: ['relu'], kind: 'global-average-pool' },
      {
        id: 'fc',
        inputs: ['pool'],
        kind: 'dense',
        weights: 'fc',
        units: spec.numClasses,
        activation: 'linear',
      },
    );
    return { layers, representation: 'pool' };
  },
  forward(parameters, images, options) {
    const training = options.training ?? false;
    let h = conv(normalizeInput(images), parameters, 'conv0', 1, 1);
    for (const plan of plans) h = blockForward(h, plan, parameters, training);
    const activated = representationRelu(
      batchNorm(h, parameters, 'bn', training),
      options.fakeRelu ?? false,
    );
    const representation = globalAveragePool(activated);
    return { logits: dense(representation, parameters, 'fc'), representation };
  },
};
