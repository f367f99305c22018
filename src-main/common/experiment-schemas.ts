/**
 * The experiments of the robust-features program as run types: one config schema and one result
 * schema per experiment, joined in discriminated unions on `type`. Pure zod, like the
 * other *-schemas.ts.
 */
import { z } from 'zod';
import { TrainableArchitecture } from './model-schemas';
import { ConstraintName } from './attacks/threat-models';
import { Id } from './reference-schemas';
import { OptimizerName } from './training-schemas';
import { PerturbationSet } from './attack-schemas';
import { finitePositive, numberError, wholeNumber } from './number-schemas';

/** How the fresh model of an experiment is trained: a standard recipe (no adversary). */
export const FreshModelTraining = z.object({
  architecture: TrainableArchitecture,
  epochs: wholeNumber('epochs', 1, 1000),
  batchSize: wholeNumber('batch size', 1, 4096),
  learningRate: finitePositive('learning rate'),
  optimizer: OptimizerName,
});
export type FreshModelTraining = z.infer<typeof FreshModelTraining>;

const ExperimentName = z
  .string()
  .trim()
  .min(1, { message: 'an experiment name is required' })
  .max(200);

/** An ε of a list (0: no adversary). */
const Epsilon = z
  .number({ error: numberError('ε') })
  .min(0, { message: 'ε cannot be negative' })
  .max(1000);

// ── b. Non-robust features: "the simple experiment" (Ilyas et al. 2019, §3.2) ─────────────────

/**
 * random: target t uniform over the classes other than y (D_rand) — the only thing that links
 *   an image to its new label is the non-robust feature the attack planted.
 * deterministic: t = (y + 1) mod C (D_det) — the robust features now point to a WRONG class
 *   consistently, so a model that generalizes from D_det must rely on the planted ones.
 */
export const RelabelRule = z.enum(['random', 'deterministic']);
export type RelabelRule = z.infer<typeof RelabelRule>;

/**
 * How D_rand draws its target t:
 *   uniform:        t ~ U{0..C−1}, independent of y (Ilyas et al. 2019, the paper's D_rand); the
 *                   image's own class is drawn with probability 1/C and then the attack only
 *                   reinforces what is already there.
 *   other-classes:  t ~ U{0..C−1} \ {y}: never the true class (this workbench before the option).
 * D_det ignores it.
 */
export const TargetDraw = z.enum(['uniform', 'other-classes']);
export type TargetDraw = z.infer<typeof TargetDraw>;

/** Configs stored before the option drew over the other classes: they read as that. */
export const legacyTargetDraw: TargetDraw = 'other-classes';

/** How a result or a report names the draw. */
export const targetDrawNames: Record<TargetDraw, string> = {
  uniform: 'uniform over all classes (Ilyas et al.)',
  'other-classes': 'uniform over the other classes',
};

export const NonRobustFeaturesConfig = z.object({
  type: z.literal('non-robust-features'),
  name: ExperimentName,
  datasetId: Id,
  /** A standard model trained on the dataset; its targeted adversarial examples are the data. */
  sourceModelId: Id,
  variants: z
    .array(RelabelRule)
    .min(1, { message: 'choose D_rand, D_det or both' })
    .max(2)
    .refine((list) => new Set(list).size === list.length, { message: 'a variant is listed twice' }),
  /** D_rand's target draw; absent in configs stored before the option (= legacyTargetDraw). */
  targetDraw: TargetDraw.optional(),
  /** Attack only the first N training images of a seeded shuffle; null: all of them. */
  trainLimit: z.number().int().min(1).nullable(),
  /** Targeted L2 PGD from x (no random start), ε and step in [0,1] pixel units. */
  attack: z.object({
    epsilon: finitePositive('ε'),
    steps: wholeNumber('steps', 1, 10_000),
    stepSize: finitePositive('step size'),
  }),
  training: FreshModelTraining,
  /**
   * A D_det ε sweep: one more D_det (same steps and step size) and fresh model per ε, for the
   * curve of original-test accuracy against ε. Absent or empty: none (configs stored before it).
   */
  detEpsilons: z
    .array(finitePositive('D_det sweep ε'))
    .max(12, { message: 'at most 12 D_det sweep ε values' })
    .optional(),
  seed: z.number().int(),
});
export type NonRobustFeaturesConfig = z.infer<typeof NonRobustFeaturesConfig>;

/** One original beside its constructed counterpart, for the result's image grid. */
export const ConstructedExample = z.object({
  index: z.number().int(),
  originalLabel: z.number().int(),
  newLabel: z.number().int(),
  originalArtifactId: Id,
  constructedArtifactId: Id,
});
export type ConstructedExample = z.infer<typeof ConstructedExample>;

export const NonRobustVariantResult = z.object({
  variant: RelabelRule,
  /** Training images attacked (= size of the constructed training set). */
  count: z.number().int(),
  /** Fraction of constructed images the source model classifies as their new label. */
  attackSuccessRate: z.number(),
  /** Mean L2 norm of the perturbations. */
  meanPerturbationL2: z.number(),
  datasetId: Id,
  modelId: Id,
  /** The fresh model's accuracy on the constructed training set, at the end of training. */
  trainAccuracy: z.number(),
  /** The fresh model's accuracy on the ORIGINAL test set: the figure under test. */
  testAccuracy: z.number(),
  examples: z.array(ConstructedExample),
});
export type NonRobustVariantResult = z.infer<typeof NonRobustVariantResult>;

/** One point of the D_det ε sweep: D_det built at `epsilon` and the model trained on it. */
export const DetSweepPoint = z.object({
  epsilon: z.number(),
  attackSuccessRate: z.number(),
  meanPerturbationL2: z.number(),
  datasetId: Id,
  modelId: Id,
  trainAccuracy: z.number(),
  /** On the ORIGINAL test set. */
  testAccuracy: z.number(),
});
export type DetSweepPoint = z.infer<typeof DetSweepPoint>;

export const NonRobustFeaturesResult = z.object({
  type: z.literal('non-robust-features'),
  /** The source model on the original test set, for reference. */
  sourceTestAccuracy: z.number(),
  /** 1 / classes: what a model that learned nothing scores. */
  chance: z.number(),
  variants: z.array(NonRobustVariantResult),
  /** D_rand's target draw; absent in results stored before the option (= legacyTargetDraw). */
  targetDraw: TargetDraw.optional(),
  /**
   * The D_det ε sweep by ascending ε, the D_det variant's own ε among them when it was built;
   * absent when the config asked for none (and in results stored before the sweep).
   */
  detSweep: z.array(DetSweepPoint).optional(),
  /** Conditions that make the figures questionable (e.g. a robust source model). */
  warnings: z.array(z.string()),
});
export type NonRobustFeaturesResult = z.infer<typeof NonRobustFeaturesResult>;

// ── c. Robustified and non-robust datasets D_R, D_NR (Ilyas et al. 2019, §3.1) ─────────────

/** Which model's representation a constructed dataset reproduces. */
export const RepresentationVariant = z.enum(['robust', 'standard']);
export type RepresentationVariant = z.infer<typeof RepresentationVariant>;

export const RobustDatasetsConfig = z.object({
  type: z.literal('robust-datasets'),
  name: ExperimentName,
  datasetId: Id,
  /** An adversarially trained model: its representation makes D_R. */
  robustModelId: Id,
  /** A standard model: its representation makes D_NR. */
  standardModelId: Id,
  variants: z
    .array(RepresentationVariant)
    .min(1, { message: 'choose D_R, D_NR or both' })
    .max(2)
    .refine((list) => new Set(list).size === list.length, { message: 'a variant is listed twice' }),
  /** Construct (and train on) the first N training images of a seeded shuffle; null: all. */
  trainLimit: z.number().int().min(1).nullable(),
  /**
   * Normalized-L2 descent on ‖g(x_r) − g(x)‖₂ / ‖g(x)‖₂ (the paper: 1000 steps of 0.1 on
   * CIFAR-10), from another random training image ('image', the paper's choice) or from noise.
   */
  inversion: z.object({
    steps: wholeNumber('inversion steps', 1, 100_000),
    stepSize: finitePositive('inversion step size'),
    start: z.enum(['image', 'noise']),
  }),
  training: FreshModelTraining,
  /**
   * Robust accuracy of the models trained on D, D_R and D_NR on the first `count` images of the
   * original test set, at each ε of `epsilons` (a curve per dataset; ε = 0: clean accuracy of the
   * same images). Configs stored before the curve give one `epsilon` instead.
   */
  evaluation: z
    .object({
      constraint: ConstraintName,
      epsilons: z
        .array(Epsilon)
        .min(1, { message: 'give at least one evaluation ε' })
        .max(12, { message: 'at most 12 evaluation ε values' })
        .optional(),
      /** The single ε of a config stored before `epsilons`. */
      epsilon: finitePositive('evaluation ε').optional(),
      steps: wholeNumber('evaluation steps', 1, 10_000),
      count: wholeNumber('evaluation images', 1, 100_000),
    })
    .refine((e) => e.epsilons !== undefined || e.epsilon !== undefined, {
      message: 'give the evaluation ε values',
      path: ['epsilons'],
    }),
  seed: z.number().int(),
});
export type RobustDatasetsConfig = z.infer<typeof RobustDatasetsConfig>;

export const RobustDatasetsRow = z.object({
  /** 'original' is D itself (the same images, unchanged), the baseline. */
  dataset: z.enum(['original', 'robust', 'standard']),
  /** The constructed dataset in the project; null for D. */
  datasetId: Id.nullable(),
  modelId: Id,
  count: z.number().int(),
  /** Mean ‖g(x_r) − g(x)‖ / ‖g(x)‖ at the end of the inversion; null for D. */
  representationDistance: z.number().nullable(),
  testAccuracy: z.number(),
  /** One per the result's evaluationEpsilons; absent in results stored before the curve. */
  robustCurve: z.array(z.number()).optional(),
  /** The single robust accuracy (at the config's `epsilon`) of a result stored before the curve. */
  robustAccuracy: z.number().optional(),
});
export type RobustDatasetsRow = z.infer<typeof RobustDatasetsRow>;

export const RobustDatasetsResult = z.object({
  type: z.literal('robust-datasets'),
  /** The radii of every row's robustCurve, as evaluated; absent before the curve. */
  evaluationEpsilons: z.array(z.number()).optional(),
  rows: z.array(RobustDatasetsRow),
  /** Per constructed variant: target image (original) beside the image made to match it. */
  examples: z.array(
    z.object({ variant: RepresentationVariant, items: z.array(ConstructedExample) }),
  ),
  /** 1 / classes; absent in results stored before it was recorded. */
  chance: z.number().optional(),
  warnings: z.array(z.string()),
});
export type RobustDatasetsResult = z.infer<typeof RobustDatasetsResult>;

// ── f. Robust Gaussian classification (Ilyas et al. 2019 §4; Tsipras et al. 2019) ────────────

const positiveWhole = (what: string, max: number) => wholeNumber(what, 1, max);

/** The constructed Gaussian problem of robust-gaussian-experiment.ts (see its comment). */
export const RobustGaussianConfig = z.object({
  type: z.literal('robust-gaussian'),
  name: ExperimentName,
  robustDirections: positiveWhole('robust directions', 99),
  nonRobustDirections: wholeNumber('non-robust directions', 0, 99),
  robustVariance: finitePositive('robust variance'),
  robustMean: z.number({ error: numberError('robust mean') }),
  nonRobustVariance: finitePositive('non-robust variance'),
  nonRobustMean: z.number({ error: numberError('non-robust mean') }),
  rotate: z.boolean(),
  epsilon: finitePositive('ε'),
  trainSamples: positiveWhole('training samples', 1_000_000),
  testSamples: positiveWhole('test samples', 1_000_000),
  curveEpsilonMax: finitePositive('largest curve ε'),
  curvePoints: wholeNumber('curve points', 2, 200),
  seed: z.number().int(),
});
export type RobustGaussianConfig = z.infer<typeof RobustGaussianConfig>;

const ClosedAndSimulated = z.object({ closedForm: z.number(), simulated: z.number() });
const Curves = z.object({ closedForm: z.array(z.number()), simulated: z.array(z.number()) });

export const GaussianClassifierReport = z.object({
  weights: z.array(z.number()),
  angleToMeanDegrees: z.number(),
  cleanAccuracy: ClosedAndSimulated,
  robustAccuracy: ClosedAndSimulated,
  curve: Curves,
});

export const RobustGaussianResult = z.object({
  type: z.literal('robust-gaussian'),
  dimension: z.number().int(),
  trueMean: z.array(z.number()),
  /** null when it is infinite (ε = 0: no adversary). */
  lambda: z.number().nullable(),
  estimatedEigenvalues: z.array(z.number()),
  robustEigenvalues: z.array(z.number()),
  standard: GaussianClassifierReport,
  robust: GaussianClassifierReport,
  angleBetweenClassifiersDegrees: z.number(),
  curveEpsilons: z.array(z.number()),
  trainingSweep: z.object({
    epsilons: z.array(z.number()),
    angleToMeanDegrees: z.array(z.number()),
    cleanAccuracy: z.array(z.number()),
    robustAccuracy: z.array(z.number()),
  }),
});
export type RobustGaussianResult = z.infer<typeof RobustGaussianResult>;

/** Tsipras et al.'s toy model (tsipras-experiment.ts). */
export const TsiprasConfig = z.object({
  type: z.literal('tsipras-toy'),
  name: ExperimentName,
  weakFeatures: positiveWhole('weak features', 100_000),
  robustFeatureAccuracy: z
    .number({ error: numberError('p') })
    .min(0.5, { message: 'p must be at least 0.5' })
    .lt(1, { message: 'p must be below 1' }),
  /** η; null: 2/√d. */
  weakFeatureMean: finitePositive('η').nullable(),
  /** ℓ∞ ε; null: 2η. */
  epsilon: finitePositive('ε').nullable(),
  samples: positiveWhole('samples', 1_000_000),
  curveEpsilonMax: finitePositive('largest curve ε'),
  curvePoints: wholeNumber('curve points', 2, 200),
  seed: z.number().int(),
});
export type TsiprasConfig = z.infer<typeof TsiprasConfig>;

export const TsiprasResult = z.object({
  type: z.literal('tsipras-toy'),
  weakFeatureMean: z.number(),
  epsilon: z.number(),
  curveEpsilons: z.array(z.number()),
  classifiers: z.array(
    z.object({
      name: z.enum(['robust', 'standard', 'bayes']),
      robustWeight: z.number(),
      weakWeight: z.number(),
      cleanAccuracy: ClosedAndSimulated,
      robustAccuracy: ClosedAndSimulated,
      curve: Curves,
    }),
  ),
});
export type TsiprasResult = z.infer<typeof TsiprasResult>;

// ── Shared pieces of the training experiments (a, e) ────────────────────────────────────────────

/** The robust evaluation of a trained model: PGD with α = 2.5·ε/steps and a random start. */
export const RobustEvaluation = z.object({
  steps: wholeNumber('evaluation steps', 1, 10_000),
  /** The first N test images (robust accuracy costs steps+1 passes per image). */
  count: wholeNumber('evaluation images', 1, 100_000),
});
export type RobustEvaluation = z.infer<typeof RobustEvaluation>;

// ── a. Robustness–accuracy trade-off (Tsipras et al. 2019) ─────────────────────────────────────

export const TradeoffConfig = z.object({
  type: z.literal('robustness-tradeoff'),
  name: ExperimentName,
  datasetId: Id,
  constraint: ConstraintName,
  /** One model per training ε; 0 trains a standard model. Every model is evaluated at every ε. */
  epsilons: z
    .array(Epsilon)
    .min(1, { message: 'give at least one training ε' })
    .max(12, { message: 'at most 12 training ε values' }),
  /** PGD steps of the inner maximization during training. */
  trainingSteps: wholeNumber('training attack steps', 1, 1000),
  training: FreshModelTraining,
  /** Train on the first N images of a seeded shuffle; null: all of them. */
  trainLimit: z.number().int().min(1).nullable(),
  evaluation: RobustEvaluation,
  seed: z.number().int(),
});
export type TradeoffConfig = z.infer<typeof TradeoffConfig>;

export const TradeoffRow = z.object({
  trainEpsilon: z.number(),
  modelId: Id,
  /** On the whole original test set. */
  testAccuracy: z.number(),
  /** On the first evaluation.count test images, at each of `evaluationEpsilons`. */
  robustAccuracy: z.array(z.number()),
});

export const TradeoffResult = z.object({
  type: z.literal('robustness-tradeoff'),
  /** 0 and every training ε, ascending. */
  evaluationEpsilons: z.array(z.number()),
  rows: z.array(TradeoffRow),
  /** 1 / classes; absent in results stored before it was recorded. */
  chance: z.number().optional(),
});
export type TradeoffResult = z.infer<typeof TradeoffResult>;

// ── e. Data efficiency (Schmidt et al. 2018; Tsipras et al. 2019) ─────────────────────────────

export const DataEfficiencyConfig = z.object({
  type: z.literal('data-efficiency'),
  name: ExperimentName,
  datasetId: Id,
  /** Training-set sizes (first N of a seeded shuffle), each trained standard and robust. */
  sizes: z
    .array(wholeNumber('training-set size', 1, 10_000_000))
    .min(1, { message: 'give at least one training-set size' })
    .max(12),
  constraint: ConstraintName,
  epsilon: finitePositive('ε'),
  trainingSteps: wholeNumber('training attack steps', 1, 1000),
  training: FreshModelTraining,
  evaluation: RobustEvaluation,
  seed: z.number().int(),
});
export type DataEfficiencyConfig = z.infer<typeof DataEfficiencyConfig>;

export const DataEfficiencyRow = z.object({
  size: z.number().int(),
  recipe: z.enum(['standard', 'robust']),
  modelId: Id,
  testAccuracy: z.number(),
  /** At the config's ε, on the first evaluation.count test images. */
  robustAccuracy: z.number(),
});

export const DataEfficiencyResult = z.object({
  type: z.literal('data-efficiency'),
  rows: z.array(DataEfficiencyRow),
  /** 1 / classes; absent in results stored before it was recorded. */
  chance: z.number().optional(),
});
export type DataEfficiencyResult = z.infer<typeof DataEfficiencyResult>;

// ── d. Transferability ──────────────────────────────────────────────────────────────────────

export const TransferConfig = z.object({
  type: z.literal('transfer'),
  name: ExperimentName,
  datasetId: Id,
  /** Sources and targets: every ordered pair is measured (the diagonal is white-box). */
  modelIds: z
    .array(Id)
    .min(2, { message: 'choose at least two models' })
    .max(8, { message: 'at most 8 models' })
    .refine((ids) => new Set(ids).size === ids.length, { message: 'a model is listed twice' }),
  /** The first N test images. */
  count: wholeNumber('images', 1, 10_000),
  attack: PerturbationSet,
  seed: z.number().int(),
});
export type TransferConfig = z.infer<typeof TransferConfig>;

export const TransferResult = z.object({
  type: z.literal('transfer'),
  modelIds: z.array(Id),
  /** Per model, on the attacked images. */
  cleanAccuracy: z.array(z.number()),
  /**
   * successRate[i][j]: of the images model j classifies correctly, the fraction whose
   * adversarial version crafted on model i it misclassifies; null where model j classifies none
   * of them correctly (no rate to give: 0 of 0). JSON has no NaN, so null is what it would read
   * back as anyway.
   */
  successRate: z.array(z.array(z.number().nullable())),
  /**
   * The images attacked: the config's count, or fewer when the test split is smaller. Every
   * source attacks all of them, so successRate[i][j] counts the cleanAccuracy[j] · images that
   * model j classifies correctly. Absent in results stored before it was recorded.
   */
  images: z.number().int().optional(),
});
export type TransferResult = z.infer<typeof TransferResult>;

// ── The unions ────────────────────────────────────────────────────────────────────────────────

export const ExperimentConfig = z.discriminatedUnion('type', [
  NonRobustFeaturesConfig,
  RobustDatasetsConfig,
  TradeoffConfig,
  DataEfficiencyConfig,
  TransferConfig,
  RobustGaussianConfig,
  TsiprasConfig,
]);
export type ExperimentConfig = z.infer<typeof ExperimentConfig>;
export type ExperimentType = ExperimentConfig['type'];

export const ExperimentResult = z.discriminatedUnion('type', [
  NonRobustFeaturesResult,
  RobustDatasetsResult,
  TradeoffResult,
  DataEfficiencyResult,
  TransferResult,
  RobustGaussianResult,
  TsiprasResult,
]);
export type ExperimentResult = z.infer<typeof ExperimentResult>;

export const ExperimentRun = z.object({
  runId: Id,
  config: ExperimentConfig,
  result: ExperimentResult,
});
export type ExperimentRun = z.infer<typeof ExperimentRun>;
