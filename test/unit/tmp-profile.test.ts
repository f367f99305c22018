import * as tf from '@tensorflow/tfjs-core';
import { it } from 'vitest';
import { selectBackend } from '../../src-main/engine/backend/select-backend';
import { createModel } from '../../src-main/engine/models/create-model';
import { architectures } from '../../src-main/engine/models/architecture-registry';
import { createOptimizer } from '../../src-main/engine/training/optimizers';
import { trainingStep } from '../../src-main/engine/training/training-step';

it('profile', async () => {
  await selectBackend('wasm');
  const model = createModel({ architecture: 'cifar-cnn', inputShape: [32, 32, 3], numClasses: 10 }, 1, architectures);
  const x = tf.randomUniform([128, 32, 32, 3]) as tf.Tensor4D;
  const y = tf.tensor1d(Array.from({ length: 128 }, (_, i) => i % 10), 'int32');
  const opt = createOptimizer('momentum', 0.01);
  for (let i = 0; i < 4; i++) {
    const t0 = performance.now();
    const info = await tf.profile(() => { trainingStep(model, opt, x, y); return tf.scalar(0); });
    const by = new Map<string, number>();
    for (const k of info.kernels) by.set(k.name, (by.get(k.name) ?? 0) + (k.kernelTimeMs as number));
    console.log('P', i, (performance.now() - t0).toFixed(0), [...by.entries()].sort((a, b) => b[1] - a[1]).slice(0, 16).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', '));
  }
}, 120000);
