/**
 * The figure a features view describes (panels of rows of cells, curves, a table), referring to
 * its pictures by key; FigureBuilder (feature-figure.ts) assembles it with the pictures into the
 * job's result. Types only, imported by protocol.ts: nothing here may import the protocol.
 */
import type {
  FeatureCurve,
  FeatureTable,
  FeaturesResult,
} from '../../../common/features-result-schemas';

export interface EngineFeatureCell {
  output: string;
  caption: string;
  display: 'image' | 'heatmap';
  /** The picture a heatmap is drawn over, or null. */
  base: string | null;
  numbers: Record<string, number>;
}

export interface EngineFeatureRow {
  caption: string;
  cells: EngineFeatureCell[];
}

export interface EngineFeaturePanel {
  modelId: number | null;
  title: string;
  rows: EngineFeatureRow[];
  scrubBy: string | null;
}

export interface EngineFeaturesSummary {
  view: FeaturesResult['view'];
  panels: EngineFeaturePanel[];
  curves: FeatureCurve[];
  curveLabel: string;
  /** The curves' x axis (FeaturesResult.curveX); 'step' when left out. */
  curveX?: string;
  table: FeatureTable;
  warnings: string[];
}
