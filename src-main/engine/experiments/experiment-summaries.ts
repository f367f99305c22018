/**
 * What each experiment's engine half reports back, before the core has stored its datasets and
 * models: the same figures as the contract's results, with keys where the contract has ids.
 */
import type {
  RelabelRule,
  RobustGaussianResult,
  TargetDraw,
  TsiprasResult,
} from '../../common/experiment-schemas';

export interface NonRobustVariantSummary {
  variant: RelabelRule;
  count: number;
  attackSuccessRate: number;
  meanPerturbationL2: number;
  datasetKey: string;
  modelKey: string;
  trainAccuracy: number;
  testAccuracy: number;
}

/** A point of the D_det ε sweep, with keys where the result has ids. */
export interface DetSweepPointSummary {
  epsilon: number;
  attackSuccessRate: number;
  meanPerturbationL2: number;
  datasetKey: string;
  modelKey: string;
  trainAccuracy: number;
  testAccuracy: number;
}

export interface NonRobustFeaturesSummary {
  type: 'non-robust-features';
  sourceTestAccuracy: number;
  /** D_rand's target draw, as used (a stored config without it: the legacy draw). */
  targetDraw: TargetDraw;
  variants: NonRobustVariantSummary[];
  /** Empty when the config asked for no sweep. */
  detSweep: DetSweepPointSummary[];
}

export interface TradeoffRowSummary {
  trainEpsilon: number;
  modelKey: string;
  testAccuracy: number;
  robustAccuracy: number[];
}

export interface TradeoffSummary {
  type: 'robustness-tradeoff';
  evaluationEpsilons: number[];
  rows: TradeoffRowSummary[];
}

export interface DataEfficiencyRowSummary {
  size: number;
  recipe: 'standard' | 'robust';
  modelKey: string;
  testAccuracy: number;
  robustAccuracy: number;
}

export interface DataEfficiencySummary {
  type: 'data-efficiency';
  rows: DataEfficiencyRowSummary[];
}

/** Transfer results need no keys: the models were the project's already. */
export interface TransferSummary {
  type: 'transfer';
  modelIds: number[];
  cleanAccuracy: number[];
  successRate: (number | null)[][];
  /** The images attacked (TransferResult.images). */
  images: number;
}

export interface RobustDatasetsRowSummary {
  dataset: 'original' | 'robust' | 'standard';
  /** null for D, which is not stored again. */
  datasetKey: string | null;
  modelKey: string;
  count: number;
  representationDistance: number | null;
  testAccuracy: number;
  /** One per the summary's evaluationEpsilons. */
  robustCurve: number[];
}

export interface RobustDatasetsSummary {
  type: 'robust-datasets';
  evaluationEpsilons: number[];
  rows: RobustDatasetsRowSummary[];
}

/** The Gaussian experiments store nothing but figures: their summary is their result. */
export type ExperimentEngineSummary =
  | NonRobustFeaturesSummary
  | RobustDatasetsSummary
  | TradeoffSummary
  | DataEfficiencySummary
  | TransferSummary
  | RobustGaussianResult
  | TsiprasResult;
