/**
 * What a new experiment run starts from, in every client: the Experiments tab's forms and
 * `rfw experiment TYPE`'s options read these, so the two cannot disagree (issue 12 §23). Values
 * that depend on the images come per image kind — 'grey' (the MNIST values of the papers) and
 * 'colour' (their CIFAR-10 values) — and, where a norm is chosen, per norm.
 *
 * Sources: non-robust features, Ilyas et al. 2019 (CIFAR-10: L2 ε = 0.5, 100 steps of 0.1; on
 * 28×28 digits a standard CNN needs ε = 2 with steps of 0.2 to reach an arbitrary class,
 * measured on the bundled MNIST); robust datasets, the same paper (1000 normalized-L2 steps of
 * 0.1; evaluation curves up to CIFAR-10 L2 0.25–0.5, MNIST L∞ 0.3); the trade-off, Madry et al. / Tsipras et
 * al. (L∞ MNIST 0–0.3, CIFAR-10 0–8/255; L2 up to 2 on MNIST, the robustness library's 0.25–1
 * on CIFAR-10); the Gaussian model, Ilyas et al. §4; the toy model, Tsipras et al. §2.
 */
import {
  runDefaults,
  threatModelDefaults,
  type ConstraintName,
  type ThreatModelDefaults,
} from './attacks/threat-models';
import type { RelabelRule, RepresentationVariant, TargetDraw } from './experiment-schemas';
import type { OptimizerName } from './training-schemas';
import type { TrainableArchitecture } from './model-schemas';

export type ImageKind = 'grey' | 'colour';
export type ExperimentNorm = 'linf' | 'l2';

type PerKind<T> = Record<ImageKind, T>;
type PerNorm<T> = Record<ExperimentNorm, PerKind<T>>;

export const experimentDefaults = {
  seed: 0,
  /** The recipe of the fresh models experiments train. */
  freshTraining: {
    architecture: { grey: 'small-cnn', colour: 'cifar-cnn' } as PerKind<TrainableArchitecture>,
    epochs: 10,
    batchSize: 128,
    learningRate: 0.001,
    optimizer: 'adam' as OptimizerName,
  },
  /** PGD (random start) on the fresh models: steps and test images. */
  evaluation: { steps: 20, count: 500 },
  /** PGD adversarial training steps of the trade-off and data-efficiency models. */
  adversarialTrainingSteps: 7,
  nonRobustFeatures: {
    name: 'Non-robust features',
    variants: ['random', 'deterministic'] as RelabelRule[],
    /** The paper's D_rand: targets uniform over all classes. */
    targetDraw: 'uniform' as TargetDraw,
    /**
     * No D_det sweep unless asked: each point costs a whole attack and training. On MNIST an
     * independent run gave 8% (ε 2), 34% (ε 3), 56% (ε 4.5): a sweep of 2, 3, 4.5 shows it.
     */
    detEpsilons: [] as number[],
    epsilon: { grey: 2, colour: 0.5 } as PerKind<number>,
    steps: 100,
    stepSize: { grey: 0.2, colour: 0.1 } as PerKind<number>,
  },
  robustDatasets: {
    name: 'Robust and non-robust datasets',
    variants: ['robust', 'standard'] as RepresentationVariant[],
    inversion: { steps: 1000, stepSize: 0.1, start: 'image' as 'image' | 'noise' },
    constraint: { grey: 'linf', colour: 'l2' } as PerKind<ExperimentNorm>,
    /**
     * The evaluation curve: 0 (clean, on the same images) and radii where standard models are not
     * all at 0%. On MNIST the ordering D_NR < D < D_R showed at L∞ 0.1 (15.2 / 26.4 / 0.7% for
     * D / D_R / D_NR) and L2 2 but not at L∞ 0.3, where all three scored 0%; on CIFAR-10 the
     * paper's 0.25 L2 and 8/255 L∞ are the largest points, with 1/255…4/255 below.
     */
    epsilons: {
      linf: { grey: [0, 0.05, 0.1, 0.2, 0.3], colour: [0, 0.0039, 0.0078, 0.0157, 0.0314] },
      l2: { grey: [0, 0.5, 1, 2, 3], colour: [0, 0.0625, 0.125, 0.25, 0.5] },
    } as PerNorm<number[]>,
  },
  tradeoff: {
    name: 'Robustness–accuracy trade-off',
    constraint: 'linf' as ExperimentNorm,
    epsilons: {
      linf: { grey: [0, 0.1, 0.2, 0.3], colour: [0, 0.0078, 0.0157, 0.0314] },
      l2: { grey: [0, 0.5, 1, 2], colour: [0, 0.25, 0.5, 1] },
    } as PerNorm<number[]>,
  },
  dataEfficiency: {
    name: 'Data efficiency',
    constraint: 'linf' as ExperimentNorm,
    sizes: [500, 1000, 2000, 4000],
    epsilon: {
      linf: { grey: 0.3, colour: 0.0314 },
      l2: { grey: 2, colour: 0.5 },
    } as PerNorm<number>,
  },
  transfer: {
    name: 'Transferability',
    count: 500,
    /**
     * Untargeted PGD on each source model: on grey images the Attack tab's threat models; on
     * colour ones Madry et al.'s CIFAR-10 budgets (L∞ 8/255 with steps of 2/255, L2 0.5 with
     * steps of 0.1), the unconstrained random start as large as that L2 ball.
     */
    threatModels: {
      grey: threatModelDefaults,
      colour: {
        linf: { epsilon: 0.0314, stepSize: 0.0078 },
        l2: { epsilon: 0.5, stepSize: 0.1 },
        unconstrained: { epsilon: 0.5, stepSize: 0.1 },
      },
    } as PerKind<Record<ConstraintName, ThreatModelDefaults>>,
    steps: runDefaults.steps,
    randomStart: runDefaults.randomStart,
  },
  robustGaussian: {
    name: 'Robust Gaussian classification',
    robustDirections: 5,
    nonRobustDirections: 5,
    robustVariance: 1,
    robustMean: 0.4,
    nonRobustVariance: 0.01,
    nonRobustMean: 0.05,
    rotate: true,
    epsilon: 0.5,
    trainSamples: 5000,
    testSamples: 20000,
    curveEpsilonMax: 1,
    curvePoints: 21,
  },
  tsipras: {
    name: 'Tsipras et al. toy model',
    weakFeatures: 100,
    robustFeatureAccuracy: 0.9,
    /** η; null: the engine uses 2/√d. */
    weakFeatureMean: null as number | null,
    /** ℓ∞ ε; null: the engine uses 2η. */
    epsilon: null as number | null,
    samples: 10000,
    curveEpsilonMax: 1.2,
    curvePoints: 25,
  },
} as const;

export function imageKind(colour: boolean): ImageKind {
  return colour ? 'colour' : 'grey';
}
