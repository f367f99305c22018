/** Shared by the attack tests: a small-cnn briefly trained on MNIST, and digits to attack. */
import * as tf from '@tensorflow/tfjs-core';
import { createModel } from '../../../../src-main/engine/models/create-model';
import type { Model } from '../../../../src-main/engine/models/model-types';
import { trainingStep } from '../../../../src-main/engine/training/training-step';
import { mnistDigits } from '../mnist-fixture';

export interface AttackFixture {
  model: Model;
  images: tf.Tensor4D;
  labels: tf.Tensor1D;
  dispose(): void;
}

/** `seed` picks the initial weights; the default is the model every attack test shares. */
export function attackFixture(seed = 3): AttackFixture {
  const model = createModel(
    { architecture: 'small-cnn', inputShape: [28, 28, 1], numClasses: 10 },
    seed,
  );
  const train = mnistDigits(30, 100);
  const optimizer = tf.train.adam(2e-3);
  const x = tf.tensor4d(train.images.data, train.images.shape);
  const y = tf.tensor1d(train.labels, 'int32');
  for (let i = 0; i < 15; i++) trainingStep(model, optimizer, x, y);
  tf.dispose([x, y]);
  optimizer.dispose();
  const digits = mnistDigits(2);
  return {
    model,
    images: tf.tensor4d(digits.images.data, digits.images.shape),
    labels: tf.tensor1d(digits.labels, 'int32'),
    dispose() {
      tf.dispose([this.images, this.labels]);
      model.dispose();
    },
  };
}
