/**
 * Styled series (series-style.ts) as chart.js datasets and as SVG export series, from one look so
 * that the canvas and the exported file cannot disagree on a colour, width or dash.
 */
import type { ChartDataset } from 'chart.js';
import type { StyledSeries } from './series-style';
import type { ChartPoint, SvgLineSeries } from './svg-chart';

/**
 * A chart.js line dataset with its look as plain values (chart.js's own type also allows
 * callbacks there), so that tests can read them; lineDatasets checks that it fits chart.js.
 */
export interface LineDataset {
  label: string;
  data: ChartPoint[];
  yAxisID: 'left' | 'right';
  borderColor: string;
  backgroundColor: string;
  borderWidth: number;
  borderDash: number[];
  pointRadius: number;
  order: number;
  tension: number;
}

export function lineDatasets(series: readonly StyledSeries[]): LineDataset[] {
  return series.map((s): LineDataset => ({
    label: s.label,
    data: s.points,
    yAxisID: s.axis === 'right' ? 'right' : 'left',
    borderColor: s.color,
    backgroundColor: s.color,
    borderWidth: s.width,
    borderDash: [...s.dash],
    pointRadius: s.pointRadius,
    // chart.js draws the lowest order last, i.e. on top; LineChart sorts its legend back into
    // data order (legend.labels.sort), so the worst case still reads last there.
    order: s.onTop ? -1 : 0,
    tension: 0,
  })) satisfies ChartDataset<'line', ChartPoint[]>[];
}

/** The same series for lineChartSvg, which draws in array order: the last one is on top. */
export function lineSvgSeries(series: readonly StyledSeries[]): SvgLineSeries[] {
  return series.map((s) => ({
    label: s.label,
    color: s.color,
    width: s.width,
    dash: s.dash,
    pointRadius: s.pointRadius,
    axis: s.axis,
    points: s.points,
  }));
}
