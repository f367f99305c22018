/**
 * View 1, saliency: for each model and image, a heatmap of the chosen class logit's input
 * attribution by the chosen methods (saliency.ts: vanilla gradient, SmoothGrad, integrated
 * gradients), drawn over the image. A robust model's maps follow the digit's strokes; a standard
 * model's are speckled (Engstrom et al. 2019; Tsipras et al. 2019, §4).
 *
 * The model-randomization check (Adebayo et al. 2018, "Sanity checks for saliency maps"): the
 * same maps for a copy of the model with freshly drawn weights. A method whose map barely
 * changes — Spearman rank correlation ρ between the trained and randomized maps above 0.5 —
 * shows the image more than the model, and the result says so as a warning. The paper's
 * cascading form, layer by layer from the logits down, is run-cascading-saliency.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { SaliencyConfig } from '../../../common/features-schemas';
import type { FeaturesJobResult } from '../../protocol';
import { deriveSeed } from '../../random/seeded-random';
import { randomizedCopy, mapSimilarity } from '../randomize-model';
import { heatmapCell, imageCell } from './feature-figure';
import type { EngineFeatureCell, EngineFeaturePanel } from './feature-summaries';
import { predictedClasses } from './predicted-classes';
import { runCascadingSaliency } from './run-cascading-saliency';
import {
  attribution,
  methodTitles,
  RANDOMIZATION_RHO_LIMIT,
  SaliencyProgress,
  unitsOf,
} from './saliency-attribution';
import type { ViewContext } from './view-context';

export function runSaliencyView(context: ViewContext, config: SaliencyConfig): FeaturesJobResult {
  if (config.randomizationCheck && config.randomizationMode === 'cascading') {
    return runCascadingSaliency(context, config);
  }
  const count = config.imageIndices.length;
  const images = context.inputImages(0, count);
  const labels = Int32Array.from(context.inputLabels(count));
  const { figure } = context;
  const units = unitsOf(config);
  const passes = config.randomizationCheck ? 2 : 1;
  const total = context.models.length * passes * config.methods.reduce((s, m) => s + units[m], 0);
  const progress = new SaliencyProgress(context, total);
  const warnings: string[] = [];
  const tableRows: (string | number)[][] = [];
  try {
    const imageKeys = figure.pictures(images);
    const panels: EngineFeaturePanel[] = [];
    for (const { input, model } of context.models) {
      const classes = config.explain === 'label' ? labels : predictedClasses(model, images);
      const random = config.randomizationCheck
        ? randomizedCopy(model, deriveSeed(config.seed, 'randomized', input.id))
        : null;
      try {
        const rows: EngineFeatureCell[][] = imageKeys.map((key, n) => [
          imageCell(key, `explaining ${context.className(classes[n] ?? -1)}`),
        ]);
        // The randomized model's maps go in a row of their own under each image's, column for
        // column, so that the two can be compared at a glance.
        const randomRows: EngineFeatureCell[][] = imageKeys.map((key) => [
          imageCell(key, 'random weights'),
        ]);
        for (const method of config.methods) {
          const trained = attribution(
            model,
            images,
            classes,
            method,
            config,
            progress.hooks(`${input.name}: ${methodTitles[method]}`),
          );
          const randomized =
            random === null
              ? null
              : attribution(
                  random,
                  images,
                  classes,
                  method,
                  config,
                  progress.hooks(`${input.name}: ${methodTitles[method]}, random weights`),
                );
          for (let pass = 0; pass < passes; pass++) progress.passDone(method);
          try {
            const keys = figure.pictures(trained.maps);
            const randomKeys = randomized === null ? [] : figure.pictures(randomized.maps);
            const rho =
              randomized === null ? null : mapSimilarity(trained.maps, randomized.maps).spearman;
            keys.forEach((key, n) => {
              const numbers: Record<string, number> = {};
              const gap = trained.completenessGap?.[n];
              if (gap !== undefined) numbers['completeness gap'] = gap;
              const similarity = rho?.[n];
              if (typeof similarity === 'number') numbers['ρ vs random'] = similarity;
              rows[n]?.push(heatmapCell(key, methodTitles[method], imageKeys[n] ?? null, numbers));
              const randomKey = randomKeys[n];
              if (randomKey !== undefined) {
                randomRows[n]?.push(
                  heatmapCell(randomKey, methodTitles[method], imageKeys[n] ?? null),
                );
              }
              tableRows.push([
                input.name,
                context.inputCaption(n),
                context.className(classes[n] ?? -1),
                methodTitles[method],
                similarity ?? '',
                gap ?? '',
              ]);
            });
            const high = (rho ?? []).filter(
              (value): value is number => value !== null && value > RANDOMIZATION_RHO_LIMIT,
            );
            if (high.length > 0) {
              warnings.push(
                `${input.name}, ${methodTitles[method]}: the map hardly changes when the weights are randomized on ${high.length} of ${count} images (Spearman ρ > ${RANDOMIZATION_RHO_LIMIT}); it shows the image more than the model.`,
              );
            }
          } finally {
            tf.dispose([trained.maps, ...(randomized === null ? [] : [randomized.maps])]);
          }
        }
        panels.push({
          modelId: input.id,
          title: input.name,
          scrubBy: null,
          rows: rows.flatMap((cells, n) => [
            { caption: context.inputCaption(n), cells },
            ...(random === null
              ? []
              : [
                  {
                    caption: `${context.inputCaption(n)}, same model with random weights`,
                    cells: randomRows[n] ?? [],
                  },
                ]),
          ]),
        });
      } finally {
        random?.dispose();
      }
    }
    return figure.finish({
      view: 'saliency',
      panels,
      curves: [],
      curveLabel: '',
      table: {
        columns: [
          'model',
          'image',
          'class explained',
          'method',
          'ρ vs random weights',
          'IG completeness gap',
        ],
        rows: tableRows,
      },
      warnings,
    });
  } finally {
    images.dispose();
  }
}
