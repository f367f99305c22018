/** TrainJobSpec → TrainJobResult: wraps the data, trains (or resumes), exports the weights. */
import type { TrainJobResult, TrainJobSpec } from '../protocol';
import type { JobReporter } from '../engine-types';
import { ImageSource } from '../data/image-source';
import { exportWeights, parameterCount } from '../models/model-weights';
import { validateModelSpec } from '../models/model-spec';
import { trainModel } from '../training/train-model';
import { ProgressThrottle } from '../progress/progress-throttle';

export function runTrainJob(spec: TrainJobSpec, reporter: JobReporter): TrainJobResult {
  validateModelSpec(spec.model);
  if (spec.config.architecture !== spec.model.architecture) {
    throw new Error(
      `config asks for ${spec.config.architecture} but the model spec is ${spec.model.architecture}`,
    );
  }
  const { numClasses } = spec.model;
  const train = new ImageSource(spec.trainImages, spec.trainLabels, numClasses, 'training images');
  const test = new ImageSource(spec.testImages, spec.testLabels, numClasses, 'test images');
  for (const source of [train, test]) {
    if (source.imageShape.join('x') !== spec.model.inputShape.join('x')) {
      throw new Error(
        `images are ${source.imageShape.join('×')} but the model takes ${spec.model.inputShape.join('×')}`,
      );
    }
  }
  const progress = new ProgressThrottle(reporter);
  progress.report(0, spec.resume ? 'resuming training' : 'starting training', true);
  const checkpoint = reporter.checkpoint?.bind(reporter);
  const outcome = trainModel({
    config: spec.config,
    spec: spec.model,
    train,
    test,
    progress,
    metrics: (step, values) => reporter.metrics(step, values),
    ...(spec.resume ? { resume: spec.resume } : {}),
    ...(checkpoint ? { checkpoint } : {}),
  });
  try {
    return {
      kind: 'train',
      weights: exportWeights(outcome.model),
      parameterCount: parameterCount(spec.model),
      testAccuracy: outcome.testAccuracy,
      bestEpoch: outcome.bestEpoch,
      final:
        outcome.final === null
          ? null
          : {
              weights: exportWeights(outcome.final.model),
              testAccuracy: outcome.final.testAccuracy,
            },
      augmented: outcome.augmented,
    };
  } finally {
    outcome.model.dispose();
    outcome.final?.model.dispose();
  }
}
