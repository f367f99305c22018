/**
 * Line plots as SVG text, for the "SVG" export next to each chart's PNG button.
 *
 * Chart.js draws on a canvas and cannot emit vectors, so a chart component describes its plot
 * in plain data (series, colours, dashes, axes) and this module lays it out again with d3-scale
 * (domains, nice ticks, tick labels) and d3-shape (the line paths). It builds a string, touches
 * no DOM, and so runs in Node tests as it does in the renderer. The look follows chart-setup.ts:
 * the same font, text colour, palette (passed in by the caller), light grid, legend at the bottom.
 *
 * The parts shared with bar charts (escaping, the document, the legend, value axes) are in
 * svg-figure.ts.
 */
import { line } from 'd3-shape';
import {
  type SvgAxis,
  gridColor,
  axisColor,
  pad,
  rowHeight,
  escapeXml,
  coordinate,
  checkSize,
  valueScale,
  tickCount,
  valueAxisLayout,
  valueAxisSvg,
  gridSvg,
  legendLayout,
  dashAttribute,
  titleSvg,
  titleRoom,
  noteSvg,
  svgDocument,
  checkAxis,
  tickLength,
} from './svg-figure';

export interface ChartPoint {
  x: number;
  y: number;
}

export interface SvgLineSeries {
  label: string;
  /** Stroke and marker colour: any CSS colour, in practice from series-style.ts's palette. */
  color: string;
  /** Stroke width in pixels; 1.5 when absent. */
  width?: number;
  /** stroke-dasharray in pixels, e.g. [4, 2]; absent or empty: a solid line. */
  dash?: readonly number[];
  /** Markers only, no line: a simulation drawn over the closed form of the same colour. */
  pointsOnly?: boolean;
  /** Marker radius in pixels; default 0 for lines (no markers) and 2.5 for points-only series. */
  pointRadius?: number;
  /** The value axis the series is read against; 'left' when absent. */
  axis?: 'left' | 'right';
  /** false: drawn, but left out of the legend. */
  inLegend?: boolean;
  /** Points with a non-finite coordinate are gaps: the line breaks there. */
  points: readonly ChartPoint[];
}

export interface SvgLineChart {
  /** Shown above the plot and as the document's <title>. */
  title: string;
  x: SvgAxis;
  left?: SvgAxis;
  right?: SvgAxis;
  series: readonly SvgLineSeries[];
  /** A line under the legend, e.g. what the lines and the dots are. */
  note?: string;
  /** Size in CSS pixels; 720 × 440 when absent. */
  width?: number;
  height?: number;
}

function strokeWidth(series: SvgLineSeries): string {
  const width = series.width ?? 1.5;
  if (!Number.isFinite(width) || width <= 0) {
    throw new Error(`SVG chart series "${series.label}" width must be > 0; got ${width}`);
  }
  return coordinate(width);
}

function finite(point: ChartPoint): boolean {
  return Number.isFinite(point.x) && Number.isFinite(point.y);
}

/**
 * The SVG text of a line chart. Value axes appear only when a series uses them (as in
 * LineChart.svelte); the grid follows the left axis when there is one, else the right.
 */
export function lineChartSvg(chart: SvgLineChart): string {
  const width = checkSize(chart.width ?? 720, 'width');
  const height = checkSize(chart.height ?? 440, 'height');
  checkAxis(chart.x, 'x');
  checkAxis(chart.left, 'left');
  checkAxis(chart.right, 'right');

  const sides = {
    left: chart.series.some((s) => (s.axis ?? 'left') === 'left') || chart.series.length === 0,
    right: chart.series.some((s) => s.axis === 'right'),
  };
  const legend = legendLayout(
    chart.series
      .filter((s) => s.inLegend !== false)
      .map((s) => ({
        label: s.label,
        color: s.color,
        kind: s.pointsOnly ? ('points' as const) : ('line' as const),
        ...(s.dash ? { dash: s.dash } : {}),
        ...(s.width === undefined ? {} : { width: s.width }),
        marker: !s.pointsOnly && (s.pointRadius ?? 0) > 0,
      })),
    width - 2 * pad,
  );
  const note = chart.note ?? '';

  // Vertical layout, top to bottom: title, plot, x tick labels, x title, legend, note.
  const plotTop = titleRoom(chart.title);
  const xTitle = chart.x.title ?? '';
  const below =
    tickLength + rowHeight + (xTitle ? rowHeight : 0) + 8 + legend.height + (note ? rowHeight : 0);
  const plotBottom = height - pad - below;
  if (plotBottom - plotTop < 40) {
    throw new Error(
      `SVG chart height ${height} leaves no room for the plot under its title and legend`,
    );
  }

  const valuesOn = (side: 'left' | 'right'): number[] =>
    chart.series
      .filter((s) => (s.axis ?? 'left') === side)
      .flatMap((s) => s.points.filter(finite).map((p) => p.y));
  const left = sides.left
    ? valueAxisLayout(chart.left, valuesOn('left'), plotTop, plotBottom)
    : null;
  const right = sides.right
    ? valueAxisLayout(chart.right, valuesOn('right'), plotTop, plotBottom)
    : null;

  // Horizontal layout: value axes take what their labels need; without one, room for half an
  // x tick label at each end.
  const plotLeft = pad + (left ? left.room : 16);
  const plotRight = width - pad - (right ? right.room : 16);
  if (plotRight - plotLeft < 40) {
    throw new Error(`SVG chart width ${width} leaves no room for the plot beside its axes`);
  }
  const xCount = tickCount(plotRight - plotLeft, 90);
  const xScale = valueScale(
    chart.x,
    chart.series.flatMap((s) => s.points.filter(finite).map((p) => p.x)),
    [plotLeft, plotRight],
    xCount,
  );
  const xTicks = xScale.ticks(xCount);
  const xFormat = xScale.tickFormat(xCount);

  const grid = left ?? right;
  const parts: string[] = [titleSvg(chart.title, width)];
  // The grid sits under everything; vertical lines at the x ticks, horizontal at the value ticks.
  parts.push(
    `<g class="grid">${xTicks
      .map((tick) => {
        const x = coordinate(xScale(tick));
        return `<line x1="${x}" y1="${coordinate(plotTop)}" x2="${x}" y2="${coordinate(plotBottom)}" stroke="${gridColor}"/>`;
      })
      .join('')}${grid ? gridSvg(grid, plotLeft, plotRight) : ''}</g>`,
  );

  // A clip a few pixels larger than the plot: values outside a fixed domain are cut, while
  // markers sitting on its edge (an accuracy of exactly 1) stay whole.
  parts.push(
    `<clipPath id="plot-area"><rect x="${coordinate(plotLeft - 4)}" y="${coordinate(plotTop - 4)}" width="${coordinate(plotRight - plotLeft + 8)}" height="${coordinate(plotBottom - plotTop + 8)}"/></clipPath>`,
  );
  const seriesParts = chart.series.map((s) => {
    const yScale = (s.axis === 'right' ? right : left)?.scale;
    if (!yScale) throw new Error(`SVG chart series "${s.label}" has no axis to be drawn against`);
    const color = escapeXml(s.color);
    const shapes: string[] = [];
    if (!s.pointsOnly && s.points.length > 0) {
      const path = line<ChartPoint>()
        .defined(finite)
        .x((p) => xScale(p.x))
        .y((p) => yScale(p.y))
        .digits(2)(s.points);
      shapes.push(
        `<path d="${path ?? ''}" fill="none" stroke="${color}" stroke-width="${strokeWidth(s)}" stroke-linejoin="round"${dashAttribute(s.dash)}/>`,
      );
    }
    const radius = s.pointRadius ?? (s.pointsOnly ? 2.5 : 0);
    if (radius < 0 || !Number.isFinite(radius)) {
      throw new Error(`SVG chart series "${s.label}" point radius must be ≥ 0; got ${radius}`);
    }
    if (radius > 0) {
      for (const p of s.points.filter(finite)) {
        shapes.push(
          `<circle cx="${coordinate(xScale(p.x))}" cy="${coordinate(yScale(p.y))}" r="${coordinate(radius)}" fill="${color}"/>`,
        );
      }
    }
    return `<g class="series" data-label="${escapeXml(s.label)}">${shapes.join('')}</g>`;
  });
  parts.push(`<g clip-path="url(#plot-area)">${seriesParts.join('')}</g>`);

  // The x axis: line, ticks, labels, title.
  const xAxis = [
    `<line x1="${coordinate(plotLeft)}" y1="${coordinate(plotBottom)}" x2="${coordinate(plotRight)}" y2="${coordinate(plotBottom)}" stroke="${axisColor}"/>`,
  ];
  xTicks.forEach((tick) => {
    const x = coordinate(xScale(tick));
    xAxis.push(
      `<line x1="${x}" y1="${coordinate(plotBottom)}" x2="${x}" y2="${coordinate(plotBottom + tickLength)}" stroke="${axisColor}"/>`,
      `<text x="${x}" y="${coordinate(plotBottom + tickLength + rowHeight / 2)}" dy="0.35em" text-anchor="middle">${escapeXml(xFormat(tick))}</text>`,
    );
  });
  let y = plotBottom + tickLength + rowHeight;
  if (xTitle) {
    xAxis.push(
      `<text x="${coordinate((plotLeft + plotRight) / 2)}" y="${coordinate(y + rowHeight / 2)}" dy="0.35em" text-anchor="middle">${escapeXml(xTitle)}</text>`,
    );
    y += rowHeight;
  }
  parts.push(`<g class="axis-x">${xAxis.join('')}</g>`);
  if (left) parts.push(valueAxisSvg(left, 'left', plotLeft, plotTop, plotBottom));
  if (right) parts.push(valueAxisSvg(right, 'right', plotRight, plotTop, plotBottom));

  y += 8;
  parts.push(legend.svg(y));
  parts.push(noteSvg(note, width, y + legend.height + rowHeight / 2));
  return svgDocument(chart.title, width, height, parts.join(''));
}
