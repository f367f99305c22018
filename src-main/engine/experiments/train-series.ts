/**
 * Trains and evaluates a series of fresh models (one per training ε, or per size and recipe),
 * giving each a share of the job's progress in proportion to its estimated cost in passes:
 *   training:   epochs · images · (adversarial ? steps + 2 : 1)
 *   evaluation: count · Σ_ε (ε > 0 ? steps + 1 : 1)
 * Each model's curves go to the run's metrics under its own prefix.
 */
import type { ImageSource } from '../data/image-source';
import { progressSpan } from '../progress/progress-span';
import type { ExperimentJobResult, TrainedModelOutput } from '../protocol';
import type { ExperimentEngineSummary } from './experiment-summaries';
import { JobCancelledError, type JobReporter } from '../engine-types';
import type { ConstraintName } from '../../common/attacks/threat-models';
import type { RobustEvaluation } from '../../common/experiment-schemas';
import { deriveSeed } from '../random/seeded-random';
import { accuracyAgainstEpsilons, type EpsilonSweep } from './accuracy-against-epsilons';
import { freshModelOutput, trainFreshModel, type FreshModelPlan } from './train-fresh-model';

export interface SeriesItem {
  /** Names the model in the summary and prefixes its metrics. */
  key: string;
  /** For progress messages, e.g. "ε = 0.2". */
  label: string;
  plan: FreshModelPlan;
  sweep: EpsilonSweep;
}

export interface SeriesOutcome {
  key: string;
  testAccuracy: number;
  /** One value per sweep ε. */
  robustAccuracy: number[];
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

function cost(item: SeriesItem, trainCount: number): number {
  const { plan, sweep } = item;
  const images = Math.min(plan.trainLimit ?? trainCount, trainCount);
  const perImage = plan.adversary === null ? 1 : plan.adversary.steps + 2;
  const training = plan.recipe.epochs * images * perImage;
  const evaluation =
    sweep.count * sweep.epsilons.reduce((sum, e) => sum + (e > 0 ? sweep.steps + 1 : 1), 0);
  return training + evaluation;
}

export function trainSeries(
  items: readonly SeriesItem[],
  train: ImageSource,
  test: ImageSource,
  reporter: JobReporter,
): { models: TrainedModelOutput[]; outcomes: SeriesOutcome[] } {
  const costs = items.map((item) => cost(item, train.count));
  const total = costs.reduce((a, b) => a + b, 0);
  const models: TrainedModelOutput[] = [];
  const outcomes: SeriesOutcome[] = [];
  let done = 0;
  items.forEach((item, i) => {
    const share = (costs[i] ?? 0) / total;
    const start = done / total;
    const end = start + share;
    const trainingCost = cost({ ...item, sweep: { ...item.sweep, epsilons: [] } }, train.count);
    const trainedAt = start + (share * trainingCost) / (costs[i] ?? 1);
    const trainReporter = progressSpan(
      reporter,
      start,
      trainedAt,
      `${item.label}: training`,
      `${item.key}.`,
    );
    const fresh = trainFreshModel(item.plan, train, test, trainReporter);
    try {
      const evaluation = progressSpan(reporter, trainedAt, end, `${item.label}: robust accuracy`);
      evaluation.progress(0, `${item.sweep.count} test images`);
      const robustAccuracy = accuracyAgainstEpsilons(fresh.model, test, item.sweep, {
        beforeStep: () => {
          if (evaluation.cancelled()) throw new JobCancelledError();
        },
      });
      models.push(freshModelOutput(item.key, fresh, item.plan.adversary !== null, null));
      outcomes.push({ key: item.key, testAccuracy: fresh.testAccuracy, robustAccuracy });
    } finally {
      fresh.model.dispose();
    }
    done += costs[i] ?? 0;
  });
  return { models, outcomes };
}

/**
 * A series experiment's whole result: trains and evaluates the series, then reports the models
 * (it constructs no datasets) and the summary `summarize` makes of the outcomes, in item order.
 */
export function seriesExperiment(
  items: readonly SeriesItem[],
  train: ImageSource,
  test: ImageSource,
  reporter: JobReporter,
  summarize: (outcomes: SeriesOutcome[]) => ExperimentEngineSummary,
): ExperimentJobResult {
  const { models, outcomes } = trainSeries(items, train, test, reporter);
  reporter.progress(1, 'experiment finished');
  return { kind: 'experiment', datasets: [], models, summary: summarize(outcomes) };
}
