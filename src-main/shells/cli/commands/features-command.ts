/**
 * `rfw features VIEW --models A[,B] --images I,J,…`: one view of the features lab as a project
 * run, for one model or two side by side, with the papers' defaults scaled to the dataset's image
 * size (common/features-defaults.ts) for every setting not given. Prints the view's table and
 * warnings (or, with --json, the stored run: config and result). The run, its pictures and its
 * figure open in the UI's Features lab and Gallery like one started there.
 */
import { featuresDefaults } from '../../../common/features-defaults';
import {
  InpaintingConfig,
  SaliencyConfig,
  featuresViewNames,
  type FeaturesViewName,
} from '../../../common/features-schemas';
import type { FeaturesRun } from '../../../common/features-result-schemas';
import { centreSquareMask } from '../../../common/inpainting-mask';
import { capRange } from '../../../common/number-range';
import type { CliCommand, CliSession } from '../cli-session';
import { ranges } from '../option-ranges';

/** The first `count` test images of the dataset, when --images is not given. */
async function firstTestImages(session: CliSession, datasetId: number, count: number) {
  const page = await session.call('datasets.page', {
    datasetId,
    split: 'test',
    offset: 0,
    limit: count,
  });
  return page.items.map((item) => item.index);
}

async function buildConfig(session: CliSession, view: FeaturesViewName) {
  const args = session.args;
  const modelIds = args.numbers('models', ranges.id);
  const first = modelIds?.[0];
  if (modelIds === undefined || first === undefined)
    throw new Error('--models A[,B] is required (one model, or two side by side)');
  const model = (await session.call('models.list', {})).find((m) => m.id === first);
  if (!model) throw new Error(`--models: there is no model ${first} in the project`);
  const dataset = await session.dataset(model.datasetId);
  const d = featuresDefaults(dataset.imageShape);
  const f = ranges.features;
  const classes = dataset.classNames.length;
  const classRange = capRange(f.unit, classes - 1, `the dataset has ${classes} classes`);
  const positions = capRange(
    ranges.imageIndex,
    dataset.count - 1,
    `the dataset has ${dataset.count} images`,
  );
  const given = args.numbers('images', positions);
  const images = async (count: number) => given ?? firstTestImages(session, dataset.id, count);
  const common = {
    name: args.string('name', `${view} (CLI)`),
    datasetId: dataset.id,
    modelIds,
    seed: args.number('seed', ranges.seed, 0),
  };
  const steps = (fallback: { steps: number; stepSize: number }) => ({
    steps: args.number('steps', f.steps, fallback.steps),
    stepSize: args.number('step-size', f.stepSize, fallback.stepSize),
  });
  switch (view) {
    case 'saliency':
      return {
        view,
        ...common,
        imageIndices: await images(4),
        methods: args.string('methods', 'gradient,smoothgrad,integrated-gradients').split(','),
        explain: args.choice('explain', SaliencyConfig.shape.explain.options, 'label'),
        smoothGradSamples: args.number(
          'samples',
          f.smoothGradSamples,
          d.saliency.smoothGradSamples,
        ),
        smoothGradNoise: args.number('noise', f.smoothGradNoise, d.saliency.smoothGradNoise),
        integratedGradientsSteps: args.number(
          'ig-steps',
          f.integratedGradientsSteps,
          d.saliency.integratedGradientsSteps,
        ),
        integratedGradientsBaseline: args.choice(
          'baseline',
          SaliencyConfig.shape.integratedGradientsBaseline.options,
          'black',
        ),
        randomizationCheck: !args.flag('no-randomization-check'),
        randomizationMode: args.choice(
          'randomization',
          SaliencyConfig.shape.randomizationMode.unwrap().options,
          'full',
        ),
      };
    case 'inversion': {
      const targets = await images(4);
      const start = args.choice('start', ['noise', 'images'] as const, 'noise');
      return {
        view,
        ...common,
        targetIndices: targets,
        start:
          start === 'noise'
            ? { kind: 'noise' }
            : { kind: 'images', indices: targets.map((_, n) => targets[(n + 1) % targets.length]) },
        ...steps(d.inversion),
      };
    }
    case 'interpolation': {
      const [fromIndex, toIndex] = await images(2);
      return {
        view,
        ...common,
        fromIndex,
        toIndex,
        frames: args.number('frames', f.frames, 8),
        ...steps(d.inversion),
      };
    }
    case 'feature-visualization':
      return {
        view,
        ...common,
        unit: args.number('unit', f.unit, 0),
        topK: args.number('top', f.topK, d.featureVisualization.topK),
        searchLimit: args.number('search', f.searchLimit, d.featureVisualization.searchLimit),
        ...steps(d.featureVisualization),
        addToIndices: given ?? [],
        strength: args.number('strength', f.strength, d.featureVisualization.strength),
      };
    case 'generation':
      return {
        view,
        ...common,
        classes: args.numbers(
          'classes',
          { ...classRange, reason: `the dataset has ${classes} classes` },
          dataset.classNames.slice(0, 10).map((_, i) => i),
        ),
        samplesPerClass: args.number('samples', f.samplesPerClass, 2),
        seedDownsample: args.number('downsample', f.seedDownsample, d.generation.seedDownsample),
        epsilon: args.number('eps', f.epsilon, d.generation.epsilon),
        ...steps(d.generation),
      };
    case 'super-resolution':
      return {
        view,
        ...common,
        imageIndices: await images(4),
        factor: args.number('factor', f.factor, d.superResolution.factor),
        epsilon: args.number('eps', f.epsilon, d.superResolution.epsilon),
        ...steps(d.superResolution),
      };
    case 'inpainting': {
      const [height = 28, width = 28] = dataset.imageShape;
      return {
        view,
        ...common,
        imageIndices: await images(4),
        mask: centreSquareMask(height, width),
        fill: args.choice('fill', InpaintingConfig.shape.fill.options, 'seed'),
        ...steps(d.inpainting),
      };
    }
    case 'counterfactual':
      return {
        view,
        ...common,
        imageIndices: await images(2),
        targetClass: args.requiredNumber('target', classRange, 'CLASS'),
        epsilon: args.number('eps', f.epsilon, d.counterfactual.epsilon),
        ...steps(d.counterfactual),
      };
  }
}

function report(run: FeaturesRun): string[] {
  const { result } = run;
  const cell = (value: string | number) =>
    typeof value === 'number' ? String(Number(value.toPrecision(4))) : value;
  return [
    `features run ${run.runId} (${run.config.view}): ${result.panels.reduce((n, p) => n + p.rows.reduce((m, r) => m + r.cells.length, 0), 0)} pictures saved`,
    result.table.columns.join(' | '),
    ...result.table.rows.map((row) => row.map(cell).join(' | ')),
    ...result.warnings.map((warning) => `WARN ${warning}`),
  ];
}

export const featuresCommand: CliCommand = {
  name: 'features',
  usage: [
    `${featuresViewNames.join('|')} --models A[,B] [--dataset ID] [--images I,J,… (dataset positions, as the lab's picker shows them; default: the first test images)] [--steps N] [--step-size X] [--name NAME] [--seed N]`,
    '               saliency [--methods gradient,smoothgrad,integrated-gradients] [--explain label|predicted] [--samples N] [--noise X] [--ig-steps N] [--baseline black|white|uniform-noise] [--no-randomization-check] [--randomization full|cascading]',
    '               inversion [--start noise|images]   interpolation [--frames K]   feature-visualization --unit U [--top K] [--search N] [--strength X]',
    '               generation [--classes 0,1,…] [--samples N] [--downsample F] [--eps X]   super-resolution [--factor F] [--eps X]   inpainting [--fill seed|grey|noise]',
    "               counterfactual --target CLASS [--eps X]   (defaults: the papers' values scaled to the image size)",
  ].join('\n'),
  opensProject: true,
  needsProject: true,
  async run(session) {
    const view = session.words[0] ?? '';
    if (!(featuresViewNames as readonly string[]).includes(view))
      throw new Error(`name the view: rfw features ${featuresViewNames.join('|')} …`);
    const config = await buildConfig(session, view as FeaturesViewName);
    session.args.rejectUnknown();
    const started = await session.call('jobs.startFeatures', config);
    session.say(`features run ${started.runId} started`);
    const state = await session.follow(started.jobId);
    if (state !== 'completed') return 1;
    const run = await session.call('runs.featuresResult', { runId: started.runId });
    session.result(run, () => report(run));
    return 0;
  },
};
