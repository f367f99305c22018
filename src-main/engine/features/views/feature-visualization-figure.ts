/**
 * The feature view's figure (Engstrom et al. 2019, §4.2), from the plain data
 * feature-visualization-compute.ts returns (its shape is declared here): per model a panel of
 * the unit's most activating images and its maximizer from noise, and with chosen images a panel
 * of the unit added to each along the path (scrubbed by its L2 change); the activation curves;
 * a table of every activation; warnings for imported models (no fake ReLU) and dead units.
 */
import type { FeatureVisualizationConfig } from '../../../common/features-schemas';
import type { FeatureCurve } from '../../../common/features-result-schemas';
import type { FeaturesJobResult } from '../../protocol';
import { imageCell, type FigureBuilder, type ViewCaptions } from './feature-figure';
import type { EngineFeaturePanel } from './feature-summaries';
import type { PathFrame } from './path-frames';
import { pathRows } from './path-rows';
import type { PictureBatch } from './picture-batch';

/** One model's unit. */
export interface UnitMaps {
  modelId: number;
  name: string;
  /** False for imported models, whose representation's ReLU cannot be swapped for the fake one. */
  fakeRelu: boolean;
  /** The most activating pool images, most first: pixels [K,H,W,C] and each one's origin. */
  top: {
    pictures: PictureBatch;
    images: { index: number; label: number; activation: number }[];
  };
  /** Null unless the unit is 0 on every searched image; then the model's liveliest units. */
  livelyUnits: number[] | null;
  /** The image synthesized from noise [1,H,W,C], its final activation, and the mean per step. */
  maximized: { pictures: PictureBatch; activation: number; curve: number[] };
  /** "Add feature u" to the chosen images: the kept frames ('activation' measured at each). */
  added: { frames: PathFrame[]; activationAfter: number[]; curve: number[] } | null;
}

export interface FeatureVisualizationData {
  /** [H,W,C] of one image. */
  imageShape: number[];
  /** The chosen images the unit is added to [N,H,W,C]; null when none was chosen. */
  added: PictureBatch | null;
  models: UnitMaps[];
}

export function featureVisualizationFigure(
  figure: FigureBuilder,
  captions: ViewCaptions,
  config: FeatureVisualizationConfig,
  data: FeatureVisualizationData,
): FeaturesJobResult {
  const { unit } = config;
  const warnings: string[] = [];
  const tableRows: (string | number)[][] = [];
  const curves: FeatureCurve[] = [];
  const panels: EngineFeaturePanel[] = [];
  const addedKeys = data.added === null ? [] : figure.pictureBatch(data.added);
  const addedCaptions = addedKeys.map((_, n) => captions.inputCaption(n));
  for (const model of data.models) {
    const { modelId, name } = model;
    if (!model.fakeRelu) {
      warnings.push(
        `${name} is an imported model without the fake ReLU: its maximization uses the plain ReLU and cannot start where unit ${unit} is off.`,
      );
    }
    if (model.livelyUnits !== null) {
      const lively = model.livelyUnits;
      warnings.push(
        `Unit ${unit} of ${name} is 0 on every searched image (a dead unit)` +
          (lively.length > 0 ? `; its most active units are ${lively.join(', ')}.` : '.'),
      );
    }
    const topKeys = figure.pictureBatch(model.top.pictures);
    const topCells = topKeys.map((key, i) => {
      const image = model.top.images[i];
      const activation = image?.activation ?? NaN;
      const caption = `#${image?.index ?? 0} (${captions.className(image?.label ?? -1)})`;
      tableRows.push([name, 'top image', caption, activation]);
      return imageCell(key, caption, { activation });
    });
    const maximizedKey = figure.pictureBatch(model.maximized.pictures)[0] ?? '';
    tableRows.push([name, 'maximized from noise', '', model.maximized.activation]);
    curves.push({
      label: `${name}: maximized from noise`,
      modelId,
      values: model.maximized.curve,
    });
    panels.push({
      modelId,
      title: `${name}: unit ${unit}`,
      scrubBy: null,
      rows: [
        { caption: `the ${topCells.length} most activating images`, cells: topCells },
        {
          caption: 'synthesized from noise',
          cells: [
            imageCell(maximizedKey, 'maximizes the unit', {
              activation: model.maximized.activation,
            }),
          ],
        },
      ],
    });
    if (model.added !== null) {
      panels.push({
        modelId,
        title: `${name}: unit ${unit} added`,
        scrubBy: 'L2 change',
        rows: pathRows(figure, model.added.frames, data.imageShape, addedCaptions),
      });
      const after = model.added.activationAfter;
      addedCaptions.forEach((caption, n) => {
        tableRows.push([name, 'added to', caption, after[n] ?? NaN]);
      });
      curves.push({
        label: `${name}: added to the chosen images`,
        modelId,
        values: model.added.curve,
      });
    }
  }
  return figure.finish({
    view: 'feature-visualization',
    panels,
    curves,
    curveLabel: `mean activation of unit ${unit}`,
    table: {
      columns: ['model', 'what', 'image', `unit ${unit} activation`],
      rows: tableRows,
    },
    warnings,
  });
}
