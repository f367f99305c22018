/**
 * Experiment c, robustified and non-robust datasets (Ilyas et al. 2019, §3.1): build D_R from a
 * robust model's representation and D_NR from a standard one's (reproduce-representations.ts),
 * each image keeping its label; then train one standard model on each of D (the same images,
 * unchanged), D_R and D_NR and measure it on the ORIGINAL test set, clean and under PGD.
 * Expected: the model trained on D_R is somewhat robust although its training was standard; the
 * one on D_NR generalizes to the real test set yet is not robust.
 * Progress shares follow the estimated passes: inversion N·steps, training N·epochs, evaluation
 * count·(steps + 1).
 */
import type { RobustDatasetsConfig } from '../../common/experiment-schemas';
import { ImageSource } from '../data/image-source';
import { progressSpan } from '../progress/progress-span';
import { importWeights } from '../models/model-weights';
import type {
  ConstructedDatasetOutput,
  ExperimentJobResult,
  ExperimentJobSpec,
  TrainedModelOutput,
} from '../protocol';
import { JobCancelledError, type JobReporter } from '../engine-types';
import { deriveSeed, range, seededPermutation } from '../random/seeded-random';
import { accuracyAgainstEpsilons } from './accuracy-against-epsilons';
import type { RobustDatasetsRowSummary } from './experiment-summaries';
import { reproduceRepresentations } from './reproduce-representations';
import { freshModelOutput, trainFreshModel } from './train-fresh-model';
import { trainingSource, testSource } from './experiment-sources';

const names = { original: 'D', robust: 'D_R', standard: 'D_NR' } as const;

interface TrainingSet {
  dataset: 'original' | 'robust' | 'standard';
  source: ImageSource;
  output: ConstructedDatasetOutput | null;
  distance: number | null;
}

export function runRobustDatasetsExperiment(
  spec: ExperimentJobSpec,
  config: RobustDatasetsConfig,
  reporter: JobReporter,
): ExperimentJobResult {
  const train = trainingSource(spec);
  const test = testSource(spec);
  const shuffled = seededPermutation(range(train.count), deriveSeed(config.seed, 'subset'));
  const indices = shuffled.subarray(0, Math.min(config.trainLimit ?? train.count, train.count));
  const labels = indices.map((index) => train.labels[index] ?? 0);
  const n = indices.length;

  const inversionCost = n * config.inversion.steps;
  const modelCost =
    n * config.training.epochs + config.evaluation.count * (config.evaluation.steps + 1);
  const total = config.variants.length * inversionCost + (config.variants.length + 1) * modelCost;
  let done = 0;
  const span = (cost: number, label: string, prefix = '') => {
    const reporterSpan = progressSpan(reporter, done / total, (done + cost) / total, label, prefix);
    done += cost;
    return reporterSpan;
  };

  const sets: TrainingSet[] = [
    {
      dataset: 'original',
      source: new ImageSource(
        { shape: [n, ...train.imageShape], data: train.pixels(indices) },
        labels,
        spec.numClasses,
        'D',
      ),
      output: null,
      distance: null,
    },
  ];
  for (const variant of config.variants) {
    const id = variant === 'robust' ? config.robustModelId : config.standardModelId;
    const input = spec.models.find((model) => model.id === id);
    if (input === undefined) throw new Error(`${variant} model ${id} was not sent`);
    const model = importWeights(input.spec, input.weights);
    const stage = span(
      inversionCost,
      `${names[variant]}: inverting ${variant === 'robust' ? 'the robust' : 'the standard'} representation`,
    );
    try {
      const reproduced = reproduceRepresentations(
        model,
        train,
        indices,
        { ...config.inversion, seed: deriveSeed(config.seed, 'start', variant) },
        (images) => {
          if (stage.cancelled()) throw new JobCancelledError();
          stage.progress(images / n, `${Math.floor(images)}/${n} images`);
        },
      );
      const output: ConstructedDatasetOutput = {
        key: `${variant}-dataset`,
        images: reproduced.images,
        labels: labels.slice(),
        sourceIndices: indices.slice(),
        description: `${names[variant]}: each image re-made to match model ${id}'s representation of a training image (${config.inversion.steps} normalized L2 steps of ${config.inversion.stepSize} from ${config.inversion.start === 'image' ? 'another random training image' : 'uniform noise'}), keeping its label`,
      };
      sets.push({
        dataset: variant,
        source: new ImageSource(
          { shape: [n, ...train.imageShape], data: reproduced.images },
          labels,
          spec.numClasses,
          names[variant],
        ),
        output,
        distance: reproduced.meanDistance,
      });
    } finally {
      model.dispose();
    }
  }

  const models: TrainedModelOutput[] = [];
  const rows: RobustDatasetsRowSummary[] = [];
  for (const set of sets) {
    const name = names[set.dataset];
    const trainStage = span(n * config.training.epochs, `training on ${name}`, `${set.dataset}.`);
    const fresh = trainFreshModel(
      {
        recipe: config.training,
        adversary: null,
        trainLimit: null,
        datasetId: config.datasetId,
        name: `${config.name} · standard model on ${name}`,
        // One seed for the three models: they differ only in their data.
        seed: deriveSeed(config.seed, 'training'),
        numClasses: spec.numClasses,
      },
      set.source,
      test,
      trainStage,
    );
    try {
      const evaluation = span(
        config.evaluation.count * (config.evaluation.steps + 1),
        `${name}: robust accuracy`,
      );
      evaluation.progress(0, `${config.evaluation.count} test images`);
      const [robustAccuracy = NaN] = accuracyAgainstEpsilons(
        fresh.model,
        test,
        {
          ...config.evaluation,
          epsilons: [config.evaluation.epsilon],
          seed: deriveSeed(config.seed, 'evaluation'),
        },
        {
          beforeStep: () => {
            if (evaluation.cancelled()) throw new JobCancelledError();
          },
        },
      );
      const modelKey = `${set.dataset}-model`;
      models.push(freshModelOutput(modelKey, fresh, false, set.output?.key ?? null));
      rows.push({
        dataset: set.dataset,
        datasetKey: set.output?.key ?? null,
        modelKey,
        count: n,
        representationDistance: set.distance,
        testAccuracy: fresh.testAccuracy,
        robustAccuracy,
      });
    } finally {
      fresh.model.dispose();
    }
  }
  reporter.progress(1, 'experiment finished');
  return {
    kind: 'experiment',
    datasets: sets.flatMap((set) => (set.output ? [set.output] : [])),
    models,
    summary: { type: 'robust-datasets', rows },
  };
}
