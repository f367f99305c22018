/**
 * The saliency view's figure with the full randomization check (or none), from the plain data
 * saliency-compute.ts returns (its shape is declared here): a panel per model with a row per
 * image — the image, then each method's map over it — and, with the check, a row under it of
 * the same maps for the model with random weights. A map whose Spearman ρ to its randomized
 * twin stays above RANDOMIZATION_RHO_LIMIT is named in a warning.
 */
import type { SaliencyConfig, SaliencyMethod } from '../../../common/features-schemas';
import type { FeaturesJobResult } from '../../protocol';
import { heatmapCell, imageCell, type FigureBuilder, type ViewCaptions } from './feature-figure';
import type { EngineFeatureCell, EngineFeaturePanel } from './feature-summaries';
import type { PictureBatch } from './picture-batch';
import {
  MAP_COLUMNS,
  methodTitles,
  RANDOMIZATION_RHO_LIMIT,
  type MapPictures,
} from './saliency-maps';

/** One method's maps for one model. */
export interface SaliencyMethodMaps {
  method: SaliencyMethod;
  trained: MapPictures;
  /**
   * The same maps for the model with random weights, and per image their Spearman ρ to the
   * trained ones (null where either map is constant); null without the check.
   */
  randomized: { maps: PictureBatch; rho: (number | null)[] } | null;
}

export interface SaliencyModelMaps {
  modelId: number;
  name: string;
  /** The class whose logit each image's maps explain. */
  classes: number[];
  /** In the config's order of methods. */
  methods: SaliencyMethodMaps[];
}

export interface SaliencyData {
  /** The input images [N,H,W,C]. */
  images: PictureBatch;
  models: SaliencyModelMaps[];
}

export function saliencyFigure(
  figure: FigureBuilder,
  captions: ViewCaptions,
  config: SaliencyConfig,
  data: SaliencyData,
): FeaturesJobResult {
  const count = config.imageIndices.length;
  const warnings: string[] = [];
  const tableRows: (string | number)[][] = [];
  const imageKeys = figure.pictureBatch(data.images);
  const panels: EngineFeaturePanel[] = [];
  for (const { modelId, name, classes, methods } of data.models) {
    const explained = (n: number): string => captions.className(classes[n] ?? -1);
    const rows: EngineFeatureCell[][] = imageKeys.map((key, n) => [
      imageCell(key, `explaining ${explained(n)}`),
    ]);
    // The randomized model's maps go in a row of their own under each image's, column for
    // column, so that the two can be compared at a glance.
    const randomRows: EngineFeatureCell[][] = imageKeys.map((key) => [
      imageCell(key, 'random weights'),
    ]);
    for (const { method, trained, randomized } of methods) {
      const title = methodTitles[method];
      const keys = figure.pictureBatch(trained.maps);
      const randomKeys = randomized === null ? [] : figure.pictureBatch(randomized.maps);
      const rho = randomized?.rho ?? null;
      keys.forEach((key, n) => {
        const numbers: Record<string, number> = {};
        const gap = trained.completenessGap?.[n];
        if (gap !== undefined) numbers['completeness gap'] = gap;
        const similarity = rho?.[n];
        if (typeof similarity === 'number') numbers['ρ vs random'] = similarity;
        rows[n]?.push(heatmapCell(key, title, imageKeys[n] ?? null, numbers));
        const randomKey = randomKeys[n];
        if (randomKey !== undefined) {
          randomRows[n]?.push(heatmapCell(randomKey, title, imageKeys[n] ?? null));
        }
        tableRows.push([
          name,
          captions.inputCaption(n),
          explained(n),
          title,
          similarity ?? '',
          gap ?? '',
        ]);
      });
      const high = (rho ?? []).filter(
        (value): value is number => value !== null && value > RANDOMIZATION_RHO_LIMIT,
      );
      if (high.length > 0) {
        warnings.push(
          `${name}, ${title}: the map hardly changes when the weights are randomized on ${high.length} of ${count} images (Spearman ρ > ${RANDOMIZATION_RHO_LIMIT}); it shows the image more than the model.`,
        );
      }
    }
    panels.push({
      modelId,
      title: name,
      scrubBy: null,
      rows: rows.flatMap((cells, n) => [
        { caption: captions.inputCaption(n), cells },
        ...(config.randomizationCheck
          ? [
              {
                caption: `${captions.inputCaption(n)}, same model with random weights`,
                cells: randomRows[n] ?? [],
              },
            ]
          : []),
      ]),
    });
  }
  return figure.finish({
    view: 'saliency',
    panels,
    curves: [],
    curveLabel: '',
    table: {
      columns: [...MAP_COLUMNS, 'ρ vs random weights', 'IG completeness gap'],
      rows: tableRows,
    },
    warnings,
  });
}
