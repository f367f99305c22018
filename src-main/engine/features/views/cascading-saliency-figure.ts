/**
 * The figure of the saliency view's cascading randomization (Adebayo et al. 2018, §3.1 and
 * Fig. 2), from the plain data cascading-saliency-compute.ts returns (its shape is declared
 * here).
 *
 * Figure: a panel per model; per image and method a row: the image, the trained map, then a
 * column per stage captioned with the layer it adds ("+ fc2"), each with its ρ to the trained map.
 * Curves: per model and method, the mean ρ over the images at stage 0 (the trained model: 1), 1,
 * …, L. Table: model, image, class explained, method, stage, the layer it adds, ρ.
 */
import type { SaliencyConfig } from '../../../common/features-schemas';
import type { FeatureCurve } from '../../../common/features-result-schemas';
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

/** Stage k of a model's cascade: its top k layers re-drawn. */
export interface CascadeStageMaps {
  /** The layer this stage adds to the re-drawn ones. */
  layer: string;
  /**
   * Per method, in the config's order: the maps, and per image their Spearman ρ to the trained
   * model's (null where either map is constant).
   */
  methods: { maps: PictureBatch; rho: (number | null)[] }[];
}

export interface CascadeModelMaps {
  modelId: number;
  name: string;
  /** The class whose logit each image's maps explain. */
  classes: number[];
  /** The model's layers, the one nearest the logits first (stage k re-draws the first k). */
  layers: string[];
  /** The trained model's maps per method, in the config's order. */
  trained: MapPictures[];
  /** Stages 1 … L. */
  stages: CascadeStageMaps[];
}

export interface CascadingSaliencyData {
  /** The input images [N,H,W,C]. */
  images: PictureBatch;
  models: CascadeModelMaps[];
}

/** Mean of the defined values; null when there is none (every map constant). */
function meanOfDefined(values: readonly (number | null)[]): number | null {
  const defined = values.filter((value): value is number => value !== null);
  return defined.length === 0 ? null : defined.reduce((a, b) => a + b, 0) / defined.length;
}

export function cascadingSaliencyFigure(
  figure: FigureBuilder,
  captions: ViewCaptions,
  config: SaliencyConfig,
  data: CascadingSaliencyData,
): FeaturesJobResult {
  const warnings: string[] = [];
  const curves: FeatureCurve[] = [];
  const tableRows: (string | number)[][] = [];
  const imageKeys = figure.pictureBatch(data.images);
  const panels: EngineFeaturePanel[] = [];
  for (const { modelId, name, classes, layers, trained, stages } of data.models) {
    const explained = (n: number): string => captions.className(classes[n] ?? -1);
    // cells[method][image]: the image, the trained map, then one map per stage.
    const cells: EngineFeatureCell[][][] = config.methods.map(() =>
      imageKeys.map((key, n) => [imageCell(key, `explaining ${explained(n)}`)]),
    );
    const meanRho: (number | null)[][] = config.methods.map(() => [1]);
    for (const [i, method] of config.methods.entries()) {
      const maps = trained[i];
      if (maps === undefined) throw new Error('a trained map is missing');
      figure.pictureBatch(maps.maps).forEach((key, n) => {
        const gap = maps.completenessGap?.[n];
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
    for (const [s, { layer, methods }] of stages.entries()) {
      for (const [i, method] of config.methods.entries()) {
        const outcome = methods[i];
        if (outcome === undefined) throw new Error(`stage ${s + 1} lacks the ${method} maps`);
        figure.pictureBatch(outcome.maps).forEach((key, n) => {
          const similarity = outcome.rho[n] ?? null;
          cells[i]?.[n]?.push(
            heatmapCell(
              key,
              `+ ${layer}`,
              imageKeys[n] ?? null,
              similarity === null ? {} : { 'ρ vs trained': similarity },
            ),
          );
          tableRows.push([
            name,
            captions.inputCaption(n),
            explained(n),
            methodTitles[method],
            s + 1,
            layer,
            similarity ?? '',
          ]);
        });
        meanRho[i]?.push(meanOfDefined(outcome.rho));
      }
    }
    for (const [i, method] of config.methods.entries()) {
      const means = meanRho[i] ?? [];
      // A curve runs while ρ is defined; a stage whose maps are all constant ends it.
      const end = means.indexOf(null);
      const values = (end < 0 ? means : means.slice(0, end)) as number[];
      curves.push({ label: `${name}, ${methodTitles[method]}`, values, modelId });
      if (end >= 0) {
        warnings.push(
          `${name}, ${methodTitles[method]}: from stage ${end} every map is constant, so ρ is undefined there.`,
        );
      }
      const last = means[means.length - 1] ?? null;
      if (layers.length > 0 && last !== null && last > RANDOMIZATION_RHO_LIMIT) {
        warnings.push(
          `${name}, ${methodTitles[method]}: with every layer re-drawn the map still has mean Spearman ρ ${last.toFixed(2)} to the trained one (> ${RANDOMIZATION_RHO_LIMIT}); it shows the image more than the model.`,
        );
      }
    }
    panels.push({
      modelId,
      title: `${name}: cascading randomization, ${layers.join(' → ')}`,
      scrubBy: null,
      rows: imageKeys.flatMap((_, n) =>
        config.methods.map((method, i) => ({
          caption: `${captions.inputCaption(n)}: ${methodTitles[method]}`,
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
      columns: [...MAP_COLUMNS, 'layers re-drawn', 'layer added', 'ρ vs trained'],
      rows: tableRows,
    },
    warnings,
  });
}
