/**
 * The saliency view's cascading randomization (Adebayo et al. 2018, "Sanity checks for saliency
 * maps", §3.1 and Fig. 2): the maps of the trained model, then of copies whose top k layers are
 * re-drawn (cascade-layers.ts), k = 1 … L from the logits down, each compared with the trained
 * map by Spearman ρ. A method that explains the model loses its map as soon as the top layers
 * are random (ρ falls at the first stages); one that shows the image keeps it to the last.
 *
 * Every stage re-draws from the same seed, so a layer keeps the random values it got at the stage
 * that re-drew it, as in the paper, and stage L is the full check's randomized model.
 *
 * Figure: a panel per model; per image and method a row: the image, the trained map, then a
 * column per stage captioned with the layer it adds ("+ fc2"), each with its ρ to the trained map.
 * Curves: per model and method, the mean ρ over the images at stage 0 (the trained model: 1), 1,
 * …, L. Table: model, image, class explained, method, stage, the layer it adds, ρ.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { SaliencyConfig, SaliencyMethod } from '../../../common/features-schemas';
import type { FeatureCurve } from '../../../common/features-result-schemas';
import type { FeaturesJobResult } from '../../protocol';
import { deriveSeed } from '../../random/seeded-random';
import { cascadeLayers, cascadeStage } from '../cascade-layers';
import { mapSimilarity, randomizedCopy } from '../randomize-model';
import { heatmapCell, imageCell } from './feature-figure';
import type { EngineFeatureCell, EngineFeaturePanel } from './feature-summaries';
import { predictedClasses } from './predicted-classes';
import {
  attribution,
  methodTitles,
  RANDOMIZATION_RHO_LIMIT,
  SaliencyProgress,
  unitsOf,
} from './saliency-attribution';
import type { ViewContext } from './view-context';

/** Mean of the defined values; null when there is none (every map constant). */
function meanOfDefined(values: readonly (number | null)[]): number | null {
  const defined = values.filter((value): value is number => value !== null);
  return defined.length === 0 ? null : defined.reduce((a, b) => a + b, 0) / defined.length;
}

export function runCascadingSaliency(
  context: ViewContext,
  config: SaliencyConfig,
): FeaturesJobResult {
  const count = config.imageIndices.length;
  const images = context.inputImages(0, count);
  const labels = Int32Array.from(context.inputLabels(count));
  const { figure } = context;
  const units = unitsOf(config);
  const perPass = config.methods.reduce((sum, method) => sum + units[method], 0);
  const layersPerModel = context.models.map(({ model }) => cascadeLayers(model));
  // One pass of every method for the trained model and one per stage.
  const total = layersPerModel.reduce((sum, layers) => sum + (layers.length + 1) * perPass, 0);
  const progress = new SaliencyProgress(context, total);
  const mapsOf = (
    model: Parameters<typeof attribution>[0],
    classes: Int32Array,
    method: SaliencyMethod,
    label: string,
  ): ReturnType<typeof attribution> => {
    const outcome = attribution(model, images, classes, method, config, progress.hooks(label));
    progress.passDone(method);
    return outcome;
  };
  const warnings: string[] = [];
  const curves: FeatureCurve[] = [];
  const tableRows: (string | number)[][] = [];
  try {
    const imageKeys = figure.pictures(images);
    const panels: EngineFeaturePanel[] = [];
    for (const [m, { input, model }] of context.models.entries()) {
      const layers = layersPerModel[m] ?? [];
      const classes = config.explain === 'label' ? labels : predictedClasses(model, images);
      const explained = (n: number): string => context.className(classes[n] ?? -1);
      // cells[method][image]: the image, the trained map, then one map per stage.
      const cells: EngineFeatureCell[][][] = config.methods.map(() =>
        imageKeys.map((key, n) => [imageCell(key, `explaining ${explained(n)}`)]),
      );
      const meanRho: (number | null)[][] = config.methods.map(() => [1]);
      const trainedMaps: tf.Tensor3D[] = [];
      try {
        for (const [i, method] of config.methods.entries()) {
          const trained = mapsOf(model, classes, method, `${input.name}: ${methodTitles[method]}`);
          trainedMaps.push(trained.maps);
          figure.pictures(trained.maps).forEach((key, n) => {
            const gap = trained.completenessGap?.[n];
            cells[i]?.[n]?.push(
              heatmapCell(
                key,
                `${methodTitles[method]}, trained`,
                imageKeys[n] ?? null,
                gap === undefined ? {} : { 'completeness gap': gap },
              ),
            );
          });
        }
        const seed = deriveSeed(config.seed, 'randomized', input.id);
        for (let stage = 1; stage <= layers.length; stage++) {
          const layer = layers[stage - 1]?.layer ?? '';
          const random = randomizedCopy(model, seed, { only: cascadeStage(layers, stage) });
          try {
            for (const [i, method] of config.methods.entries()) {
              const label = `${input.name}: ${methodTitles[method]}, top ${stage} of ${layers.length} layers random`;
              const outcome = mapsOf(random, classes, method, label);
              try {
                const trained = trainedMaps[i];
                if (trained === undefined) throw new Error('a trained map is missing');
                const rho = mapSimilarity(trained, outcome.maps).spearman;
                figure.pictures(outcome.maps).forEach((key, n) => {
                  const similarity = rho[n] ?? null;
                  cells[i]?.[n]?.push(
                    heatmapCell(
                      key,
                      `+ ${layer}`,
                      imageKeys[n] ?? null,
                      similarity === null ? {} : { 'ρ vs trained': similarity },
                    ),
                  );
                  tableRows.push([
                    input.name,
                    context.inputCaption(n),
                    explained(n),
                    methodTitles[method],
                    stage,
                    layer,
                    similarity ?? '',
                  ]);
                });
                meanRho[i]?.push(meanOfDefined(rho));
              } finally {
                outcome.maps.dispose();
              }
            }
          } finally {
            random.dispose();
          }
        }
      } finally {
        tf.dispose(trainedMaps);
      }
      for (const [i, method] of config.methods.entries()) {
        const means = meanRho[i] ?? [];
        // A curve runs while ρ is defined; a stage whose maps are all constant ends it.
        const end = means.indexOf(null);
        const values = (end < 0 ? means : means.slice(0, end)) as number[];
        curves.push({ label: `${input.name}, ${methodTitles[method]}`, values, modelId: input.id });
        if (end >= 0) {
          warnings.push(
            `${input.name}, ${methodTitles[method]}: from stage ${end} every map is constant, so ρ is undefined there.`,
          );
        }
        const last = means[means.length - 1] ?? null;
        if (layers.length > 0 && last !== null && last > RANDOMIZATION_RHO_LIMIT) {
          warnings.push(
            `${input.name}, ${methodTitles[method]}: with every layer re-drawn the map still has mean Spearman ρ ${last.toFixed(2)} to the trained one (> ${RANDOMIZATION_RHO_LIMIT}); it shows the image more than the model.`,
          );
        }
      }
      panels.push({
        modelId: input.id,
        title: `${input.name}: cascading randomization, ${layers.map((l) => l.layer).join(' → ')}`,
        scrubBy: null,
        rows: imageKeys.flatMap((_, n) =>
          config.methods.map((method, i) => ({
            caption: `${context.inputCaption(n)}: ${methodTitles[method]}`,
            cells: cells[i]?.[n] ?? [],
          })),
        ),
      });
    }
    return figure.finish({
      view: 'saliency',
      panels,
      curves,
      curveLabel: 'mean Spearman ρ to the trained map',
      curveX: 'layers re-drawn, from the logits down',
      table: {
        columns: [
          'model',
          'image',
          'class explained',
          'method',
          'layers re-drawn',
          'layer added',
          'ρ vs trained',
        ],
        rows: tableRows,
      },
      warnings,
    });
  } finally {
    images.dispose();
  }
}
