/**
 * View 5a, class-conditional generation with one robust classifier (Santurkar et al. 2019,
 * §3.1): seeds drawn from a Gaussian fitted on each class's (downsampled) images, then targeted
 * L2 ascent of the class score within ε of the seed (synthesize.ts: generateClass). Both models
 * start from the same seeds; a robust model draws the class, a standard one adds noise that
 * convinces only itself.
 */
import type { GenerationConfig } from '../../../common/features-schemas';
import type { FeaturesJobResult } from '../../protocol';
import { deriveSeed } from '../../random/seeded-random';
import { generateClass } from '../synthesize';
import { outcomeCell } from './class-ascent-cells';
import { imageCell } from './feature-figure';
import type { EngineFeaturePanel } from './feature-summaries';
import { classSeeds } from './class-seeds';
import type { ViewContext } from './view-context';

export function runGenerationView(
  context: ViewContext,
  config: GenerationConfig,
): FeaturesJobResult {
  const targets = config.classes.flatMap((label) =>
    Array.from({ length: config.samplesPerClass }, () => label),
  );
  const seeds = classSeeds(
    context,
    targets,
    config.seedDownsample,
    deriveSeed(config.seed, 'seeds'),
  );
  const { figure } = context;
  const per = config.samplesPerClass;
  const rowsOf = <T>(items: T[]) =>
    config.classes.map((label, r) => ({ label, items: items.slice(r * per, (r + 1) * per) }));
  try {
    const seedKeys = figure.pictures(seeds);
    // Each model's row of a class starts with the seeds it started from (the same for both).
    const seedRows = rowsOf(seedKeys);
    const panels: EngineFeaturePanel[] = [];
    const curves = [];
    const tableRows: (string | number)[][] = [];
    const captions = targets.map((label) => `generating ${context.className(label)}`);
    for (const [m, { input, model }] of context.models.entries()) {
      const stage = context.modelStage(m, config.steps, `generating with ${input.name}`, captions);
      const outcome = generateClass(
        model,
        seeds,
        targets,
        { epsilon: config.epsilon, steps: config.steps, stepSize: config.stepSize },
        stage.hooks,
      );
      try {
        const keys = figure.pictures(outcome.images);
        const final = outcome.predictionsPerStep.at(-1)?.[0];
        panels.push({
          modelId: input.id,
          title: input.name,
          scrubBy: null,
          rows: rowsOf(keys.map((key, n) => ({ key, n }))).map(({ label, items }) => ({
            caption: context.className(label),
            cells: [
              ...(seedRows.find((row) => row.label === label)?.items ?? []).map((key) =>
                imageCell(key, 'seed'),
              ),
              ...items.map(({ key, n }) => outcomeCell(key, 'generated', final, n)),
            ],
          })),
        });
        targets.forEach((label, n) =>
          tableRows.push([
            input.name,
            context.className(label),
            n % per,
            final?.targetProbability[n] ?? NaN,
            context.className(final?.predictedClass[n] ?? -1),
          ]),
        );
        curves.push({ label: input.name, modelId: input.id, values: outcome.lossPerStep });
      } finally {
        outcome.images.dispose();
      }
    }
    return figure.finish({
      view: 'generation',
      panels,
      curves,
      curveLabel: 'mean cross-entropy of the class',
      table: { columns: ['model', 'class', 'sample', 'p(class)', 'predicted'], rows: tableRows },
      warnings: [],
    });
  } finally {
    seeds.dispose();
  }
}
