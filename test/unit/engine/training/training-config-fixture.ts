/** A tiny MNIST training job for the training tests: 400 digits to train on, 200 to test. */
import type { TrainingConfig } from '../../../../src-main/common/training-schemas';
import type { TrainJobSpec } from '../../../../src-main/engine/protocol';
import { mnistDigits } from '../mnist-fixture';

const train = mnistDigits(40);
const test = mnistDigits(20, 500);

export const baseConfig: TrainingConfig = {
  datasetId: 1,
  modelName: 'test',
  architecture: 'small-cnn',
  epochs: 2,
  batchSize: 32,
  learningRate: 2e-3,
  optimizer: 'adam',
  seed: 4,
  trainLimit: null,
  adversarial: null,
  epsilonWarmupEpochs: 0,
  adversarialLoss: 'pgd',
  tradesBeta: 6,
  learningRateSchedule: { kind: 'constant' },
  augmentation: 'auto',
  validation: null,
  saveFinalModel: false,
};

export function trainSpec(patch: Partial<TrainingConfig> = {}): TrainJobSpec {
  return {
    kind: 'train',
    config: { ...baseConfig, ...patch },
    model: { architecture: 'small-cnn', inputShape: [28, 28, 1], numClasses: 10 },
    trainImages: train.images,
    trainLabels: train.labels,
    testImages: test.images,
    testLabels: test.labels,
  };
}
