/**
 * Trains and evaluates a series of fresh models (one per training ε, per size and recipe, or per
 * constructed dataset), giving each a share of the job's progress in proportion to its estimated
 * cost in passes:
 *   training:   epochs · images · (adversarial ? steps + 2 : 1)
 *   evaluation: count · Σ_ε (ε > 0 ? steps + 1 : 1)
 * Each model's curves go to the run's metrics under its own prefix.
 */
import type { ImageSource } from '../data/image-source';
import type { Model } from '../models/model-types';
import { progressSpan } from '../progress/progress-span';
import type {
  ConstructedDatasetOutput,
  ExperimentJobResult,
  TrainedModelOutput,
} from '../protocol';
import type { ExperimentEngineSummary } from './experiment-summaries';
import { JobCancelledError, type JobReporter } from '../engine-types';
import type { ConstraintName } from '../../common/attacks/threat-models';
import type { RobustEvaluation } from '../../common/experiment-schemas';
import { deriveSeed } from '../random/seeded-random';
import { accuracy } from '../training/evaluate';
import { accuracyAgainstEpsilons, type EpsilonSweep } from './accuracy-against-epsilons';
import { freshModelOutput, trainFreshModel, type FreshModelPlan } from './train-fresh-model';

export interface SeriesItem {
  /** Names the model in the summary and prefixes its metrics. */
  key: string;
  /** For progress messages, e.g. "ε = 0.2". */
  label: string;
  plan: FreshModelPlan;
  /** null: no robust evaluation (the outcome's robustAccuracy is empty). */
  sweep: EpsilonSweep | null;
  /** What the model trains on instead of the series' training set, e.g. a constructed dataset. */
  trainingSet?: SeriesTrainingSet;
  /** The namespace of the model's curves in the run's metrics; `${key}.` when not given. */
  metricPrefix?: string;
  /** Also measure the model's accuracy on its whole training set, after the last epoch. */
  measureTrainAccuracy?: boolean;
}

export interface SeriesTrainingSet {
  source: ImageSource;
  /** The constructed dataset's key, the model's `trainedOn`; null for the original dataset. */
  datasetKey: string | null;
}

export interface SeriesOutcome {
  key: string;
  testAccuracy: number;
  /** One value per sweep ε. */
  robustAccuracy: number[];
  /** Null unless the item asked for it (measureTrainAccuracy). */
  trainAccuracy: number | null;
}

/**
 * A series experiment's robust-accuracy sweep at `epsilons`: its constraint, its evaluation's
 * steps and image count, and one evaluation seed for every model of the series.
 */
export function seriesSweep(
  config: { constraint: ConstraintName; evaluation: RobustEvaluation; seed: number },
  epsilons: readonly number[],
): EpsilonSweep {
  return {
    constraint: config.constraint,
    epsilons,
    steps: config.evaluation.steps,
    count: config.evaluation.count,
    seed: deriveSeed(config.seed, 'evaluation'),
  };
}

function cost(item: SeriesItem, train: ImageSource): number {
  const { plan, sweep } = item;
  const trainCount = (item.trainingSet?.source ?? train).count;
  const images = Math.min(plan.trainLimit ?? trainCount, trainCount);
  const perImage = plan.adversary === null ? 1 : plan.adversary.steps + 2;
  const training = plan.recipe.epochs * images * perImage;
  const evaluation =
    sweep === null
      ? 0
      : sweep.count * sweep.epsilons.reduce((sum, e) => sum + (e > 0 ? sweep.steps + 1 : 1), 0);
  return training + evaluation;
}

export function trainSeries(
  items: readonly SeriesItem[],
  train: ImageSource,
  test: ImageSource,
  reporter: JobReporter,
): { models: TrainedModelOutput[]; outcomes: SeriesOutcome[] } {
  const costs = items.map((item) => cost(item, train));
  const total = costs.reduce((a, b) => a + b, 0);
  const models: TrainedModelOutput[] = [];
  const outcomes: SeriesOutcome[] = [];
  let done = 0;
  items.forEach((item, i) => {
    const share = (costs[i] ?? 0) / total;
    const start = done / total;
    const end = start + share;
    const trainingCost = cost({ ...item, sweep: null }, train);
    const trainedAt = start + (share * trainingCost) / (costs[i] ?? 1);
    const trainReporter = progressSpan(
      reporter,
      start,
      trainedAt,
      `${item.label}: training`,
      item.metricPrefix ?? `${item.key}.`,
    );
    const trainOn = item.trainingSet?.source ?? train;
    const fresh = trainFreshModel(item.plan, trainOn, test, trainReporter);
    try {
      const trainAccuracy = item.measureTrainAccuracy ? accuracy(fresh.model, trainOn) : null;
      const robustAccuracy = measureRobustAccuracy(
        fresh.model,
        test,
        item.sweep,
        progressSpan(reporter, trainedAt, end, `${item.label}: robust accuracy`),
      );
      const trainedOn = item.trainingSet?.datasetKey ?? null;
      models.push(freshModelOutput(item.key, fresh, item.plan.adversary !== null, trainedOn));
      outcomes.push({
        key: item.key,
        testAccuracy: fresh.testAccuracy,
        robustAccuracy,
        trainAccuracy,
      });
    } finally {
      fresh.model.dispose();
    }
    done += costs[i] ?? 0;
  });
  return { models, outcomes };
}

/** Robust accuracy at each ε of the sweep; none without one. */
function measureRobustAccuracy(
  model: Model,
  test: ImageSource,
  sweep: EpsilonSweep | null,
  reporter: JobReporter,
): number[] {
  if (sweep === null) return [];
  reporter.progress(0, `${sweep.count} test images`);
  return accuracyAgainstEpsilons(model, test, sweep, {
    beforeStep: () => {
      if (reporter.cancelled()) throw new JobCancelledError();
    },
  });
}

/**
 * A series experiment's whole result: trains and evaluates the series, then reports the datasets
 * the experiment constructed beforehand (none for most), the models and the summary `summarize`
 * makes of the outcomes, in item order.
 */
export function seriesExperiment(
  items: readonly SeriesItem[],
  train: ImageSource,
  test: ImageSource,
  reporter: JobReporter,
  summarize: (outcomes: SeriesOutcome[]) => ExperimentEngineSummary,
  datasets: ConstructedDatasetOutput[] = [],
): ExperimentJobResult {
  const { models, outcomes } = trainSeries(items, train, test, reporter);
  reporter.progress(1, 'experiment finished');
  return { kind: 'experiment', datasets, models, summary: summarize(outcomes) };
}
