/**
 * The ranges of the CLI's numeric options, each read from the contract's schema for the field it
 * fills (common/number-range.ts), so a bound changes in one place and the CLI's one-line refusal
 * follows. Ranges that depend on the project (image counts, ε per image size) are made where the
 * dataset is known, from these. The features views' settings carry their own ranges (their
 * descriptors in common/features-views/).
 */
import {
  attackJobFields,
  methodDescriptors,
  optionSchema,
  type JobFieldName,
} from '../../common/attacks/attack-registry';
import { EvaluationConfig } from '../../common/evaluation-schemas';
import {
  FreshModelTraining,
  RobustDatasetsConfig,
  RobustGaussianConfig,
  TradeoffConfig,
  TransferConfig,
  TsiprasConfig,
  DataEfficiencyConfig,
  NonRobustFeaturesConfig,
} from '../../common/experiment-schemas';
import { rangeOf, type NumberRange } from '../../common/number-range';
import { AttackConfig, PerturbationSet } from '../../common/attack-schemas';
import { Id } from '../../common/reference-schemas';
import { ImageFolderSource, SyntheticFeaturesSource } from '../../common/dataset-io-schemas';
import {
  LearningRateSchedule,
  TrainingConfig,
  ValidationConfig,
} from '../../common/training-schemas';

/** Each method's own AttackConfig field (apgdTargets, squareQueries, …): `rfw attack`'s options. */
const jobFieldRanges = Object.fromEntries(
  attackJobFields.map((field) => [field.name, rangeOf(AttackConfig.shape[field.name])]),
) as Record<JobFieldName, NumberRange>;

/**
 * `rfw eval`'s attack options by flag (steps, iterations, restarts, …): the bounds of the option
 * of the first method that has it (methods that share a flag share the bounds; the registry's
 * test checks that).
 */
const evaluationOptionRanges: Readonly<Record<string, NumberRange>> = (() => {
  const byFlag: Record<string, NumberRange> = {};
  for (const method of methodDescriptors) {
    for (const setting of method.settings) {
      byFlag[setting.flag] ??= rangeOf(optionSchema(method.name, setting.key));
    }
  }
  return byFlag;
})();

const scheduleOf = (kind: string, field: string): NumberRange => {
  const option = LearningRateSchedule.options.find((o) => o.shape.kind.value === kind);
  const schema = option?.shape[field as keyof typeof option.shape];
  if (!schema) throw new Error(`no ${kind}.${field} in the schedule schema`);
  return rangeOf(schema);
};

const synthetic = SyntheticFeaturesSource.shape;

export const ranges = {
  id: rangeOf(Id),
  seed: rangeOf(AttackConfig.shape.seed),
  /** A dataset position; capped at the dataset's size where it is known. */
  imageIndex: rangeOf(AttackConfig.shape.indices.element),
  steps: rangeOf(PerturbationSet.shape.steps),
  restarts: rangeOf(AttackConfig.shape.restarts),
  targetClass: rangeOf(AttackConfig.shape.targetClass),
  ...jobFieldRanges,
  training: {
    epochs: rangeOf(TrainingConfig.shape.epochs),
    batchSize: rangeOf(TrainingConfig.shape.batchSize),
    learningRate: rangeOf(TrainingConfig.shape.learningRate),
    trainLimit: rangeOf(TrainingConfig.shape.trainLimit),
    warmup: rangeOf(TrainingConfig.shape.epsilonWarmupEpochs),
    tradesBeta: rangeOf(TrainingConfig.shape.tradesBeta),
    validationEvery: rangeOf(ValidationConfig.shape.everyEpochs),
    /** A count of images (≥ 1) or a fraction in (0, 1): the schema's refinement says which. */
    validationSize: rangeOf(ValidationConfig.shape.size),
    gamma: scheduleOf('step', 'gamma'),
    milestone: rangeOf(
      (() => {
        const step = LearningRateSchedule.options.find((o) => o.shape.kind.value === 'step');
        if (!step || !('milestones' in step.shape)) throw new Error('no step milestones');
        return step.shape.milestones.element;
      })(),
    ),
    floor: scheduleOf('cosine', 'floor'),
    peakFraction: scheduleOf('one-cycle', 'peakFraction'),
  },
  evaluation: {
    count: rangeOf(EvaluationConfig.shape.count),
    epsilon: rangeOf(EvaluationConfig.shape.epsilons.element),
    attackOptions: evaluationOptionRanges,
  },
  import: {
    imageSize: rangeOf(ImageFolderSource.shape.size.unwrap().shape.height),
    imageTestFraction: rangeOf(ImageFolderSource.shape.testFraction),
    syntheticCount: rangeOf(synthetic.count),
    syntheticClasses: rangeOf(synthetic.numClasses),
    syntheticSize: rangeOf(synthetic.height),
    shapeCorrelation: rangeOf(synthetic.robust.shape.correlation),
    shapeContrast: rangeOf(synthetic.robust.shape.contrast),
    patternCorrelation: rangeOf(synthetic.nonRobust.shape.correlation),
    patternAmplitude: rangeOf(synthetic.nonRobust.shape.amplitude),
    syntheticTestFraction: rangeOf(synthetic.testFraction),
  },
  experiment: {
    epochs: rangeOf(FreshModelTraining.shape.epochs),
    batchSize: rangeOf(FreshModelTraining.shape.batchSize),
    learningRate: rangeOf(FreshModelTraining.shape.learningRate),
    trainLimit: rangeOf(NonRobustFeaturesConfig.shape.trainLimit),
    attackEpsilon: rangeOf(NonRobustFeaturesConfig.shape.attack.shape.epsilon),
    attackSteps: rangeOf(NonRobustFeaturesConfig.shape.attack.shape.steps),
    attackStepSize: rangeOf(NonRobustFeaturesConfig.shape.attack.shape.stepSize),
    inversionSteps: rangeOf(RobustDatasetsConfig.shape.inversion.shape.steps),
    inversionStepSize: rangeOf(RobustDatasetsConfig.shape.inversion.shape.stepSize),
    evaluationEpsilon: rangeOf(
      RobustDatasetsConfig.shape.evaluation.shape.epsilons.unwrap().element,
    ),
    evaluationSteps: rangeOf(RobustDatasetsConfig.shape.evaluation.shape.steps),
    evaluationCount: rangeOf(RobustDatasetsConfig.shape.evaluation.shape.count),
    tradeoffEpsilon: rangeOf(TradeoffConfig.shape.epsilons.element),
    trainingSteps: rangeOf(TradeoffConfig.shape.trainingSteps),
    size: rangeOf(DataEfficiencyConfig.shape.sizes.element),
    dataEfficiencyEpsilon: rangeOf(DataEfficiencyConfig.shape.epsilon),
    transferCount: rangeOf(TransferConfig.shape.count),
    gaussian: {
      robustDirections: rangeOf(RobustGaussianConfig.shape.robustDirections),
      nonRobustDirections: rangeOf(RobustGaussianConfig.shape.nonRobustDirections),
      robustVariance: rangeOf(RobustGaussianConfig.shape.robustVariance),
      robustMean: rangeOf(RobustGaussianConfig.shape.robustMean),
      nonRobustVariance: rangeOf(RobustGaussianConfig.shape.nonRobustVariance),
      nonRobustMean: rangeOf(RobustGaussianConfig.shape.nonRobustMean),
      epsilon: rangeOf(RobustGaussianConfig.shape.epsilon),
      trainSamples: rangeOf(RobustGaussianConfig.shape.trainSamples),
      testSamples: rangeOf(RobustGaussianConfig.shape.testSamples),
      curveEpsilonMax: rangeOf(RobustGaussianConfig.shape.curveEpsilonMax),
      curvePoints: rangeOf(RobustGaussianConfig.shape.curvePoints),
    },
    tsipras: {
      weakFeatures: rangeOf(TsiprasConfig.shape.weakFeatures),
      p: rangeOf(TsiprasConfig.shape.robustFeatureAccuracy),
      eta: rangeOf(TsiprasConfig.shape.weakFeatureMean),
      epsilon: rangeOf(TsiprasConfig.shape.epsilon),
      samples: rangeOf(TsiprasConfig.shape.samples),
      curveEpsilonMax: rangeOf(TsiprasConfig.shape.curveEpsilonMax),
      curvePoints: rangeOf(TsiprasConfig.shape.curvePoints),
    },
  },
} as const;
