/** A curve of an experiment's chart (CurveChart.svelte). */
export interface CurveSeries {
  label: string;
  points: { x: number; y: number }[];
  /**
   * line: a closed-form curve; points: simulated values, markers only, so that they show where
   * they sit on the line of the same colour; dashed: a second quantity of the same colour.
   */
  style: 'line' | 'points' | 'dashed';
  /** Index into the palette: a classifier's closed form and its simulation share a colour. */
  color: number;
  /** accuracy: the [0,1] axis; other: a free axis on the left (e.g. an angle in degrees). */
  axis: 'accuracy' | 'other';
  /** false: left out of the legend (a simulation, which the chart's note explains). */
  inLegend?: boolean;
}
