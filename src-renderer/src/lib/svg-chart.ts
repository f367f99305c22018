/**
 * Line plots as SVG text, for the "SVG" export next to each chart's PNG button.
 *
 * Chart.js draws on a canvas and cannot emit vectors, so a chart component describes its plot
 * in plain data (series, colours, dashes, axes) and this module lays it out again with d3-scale
 * (domains, nice ticks, tick labels) and d3-shape (the line paths). It builds a string, touches
 * no DOM, and so runs in Node tests as it does in the renderer. The look follows chart-setup.ts:
 * the same font, text colour, palette (passed in by the caller), light grid, legend at the bottom.
 *
 * The parts shared with bar charts (escaping, the document, the legend, value axes) are exported
 * for svg-bar-chart.ts.
 */
import { scaleLinear, type ScaleLinear } from 'd3-scale';
import { line } from 'd3-shape';

export interface ChartPoint {
  x: number;
  y: number;
}

export interface SvgLineSeries {
  label: string;
  /** Stroke and marker colour: any CSS colour, in practice chart-setup.ts's seriesColors. */
  color: string;
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

export interface SvgAxis {
  title?: string;
  /** A fixed [min, max] (accuracies: [0, 1]); absent: fitted to the data, rounded to nice ticks. */
  domain?: readonly [number, number];
  /** For a fitted domain: stretch it to include 0. */
  beginAtZero?: boolean;
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

/** One entry of the legend: a line sample (dashed or not), a marker, or a filled box (bars). */
export interface LegendItem {
  label: string;
  color: string;
  kind: 'line' | 'points' | 'box';
  dash?: readonly number[];
  /** A marker on the line sample, for a line series drawn with markers. */
  marker?: boolean;
}

export const fontSize = 11;
const titleSize = 13;
export const textColor = '#4b5563';
export const gridColor = '#e5e7eb';
export const axisColor = '#9ca3af';
const noteColor = '#6b7280';
const fontFamily = "Inter, 'Segoe UI', system-ui, sans-serif";
/** Pixels between the figure's edge and anything drawn. */
export const pad = 10;
/** Height of one row of text (legend rows, tick labels, axis titles). */
export const rowHeight = 16;
const tickLength = 5;
const legendSample = 18;
const legendGap = 14;

/**
 * Text safe inside an element or a double-quoted attribute. Also drops what XML 1.0 forbids even
 * escaped (C0 controls other than tab and newlines, lone UTF-16 surrogates), so that the file
 * always parses; labels carry ε, ‖, <, & and the like, which escaping keeps.
 */
export function escapeXml(text: string): string {
  return text
    .replace(/[\p{Cc}\uD800-\uDFFF\uFFFE\uFFFF]/gu, (c) => ('\t\n\r'.includes(c) ? c : ''))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** A coordinate with two decimals: a hundredth of a pixel is below what any viewer shows. */
export function coordinate(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/**
 * The width of a label, estimated without a DOM (0.6 em a character, a little wide for sans
 * digits and letters), to reserve room for tick labels and wrap the legend.
 */
export function textWidth(text: string, size = fontSize): number {
  return [...text].length * size * 0.6;
}

export function checkSize(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 160) {
    throw new Error(`SVG chart ${name} must be a number of pixels, at least 160; got ${value}`);
  }
  return value;
}

function checkAxis(axis: SvgAxis | undefined, name: string): void {
  const domain = axis?.domain;
  if (!domain) return;
  const [low, high] = domain;
  if (!Number.isFinite(low) || !Number.isFinite(high) || !(low < high)) {
    throw new Error(
      `SVG chart ${name} axis domain must be two finite numbers, min < max; got [${low}, ${high}]`,
    );
  }
}

/**
 * A linear scale onto range: the axis's fixed domain as given (no rounding, so [0, 1] stays
 * [0, 1]), else the extent of the finite values (with 0 if beginAtZero) widened to nice tick
 * values. A single value v spans [v − 1, v + 1], no value [0, 1].
 */
export function valueScale(
  axis: SvgAxis | undefined,
  values: Iterable<number>,
  range: [number, number],
  tickCount: number,
): ScaleLinear<number, number> {
  if (axis?.domain)
    return scaleLinear()
      .domain([...axis.domain])
      .range(range);
  let low = Infinity;
  let high = -Infinity;
  for (const value of values) {
    if (!Number.isFinite(value)) continue;
    low = Math.min(low, value);
    high = Math.max(high, value);
  }
  if (axis?.beginAtZero) {
    low = Math.min(low, 0);
    high = Math.max(high, 0);
  }
  if (low > high) [low, high] = [0, 1];
  else if (low === high) [low, high] = [low - 1, high + 1];
  return scaleLinear().domain([low, high]).range(range).nice(tickCount);
}

/** About one tick every 40 px vertically, every 90 px horizontally, never fewer than two. */
export function tickCount(pixels: number, spacing: number): number {
  return Math.max(2, Math.round(pixels / spacing));
}

export interface ValueAxisLayout {
  scale: ScaleLinear<number, number>;
  ticks: number[];
  labels: string[];
  /** Horizontal room the axis takes beside the plot: ticks, labels, title. */
  room: number;
  title: string;
}

export function valueAxisLayout(
  axis: SvgAxis | undefined,
  values: Iterable<number>,
  plotTop: number,
  plotBottom: number,
): ValueAxisLayout {
  const count = tickCount(plotBottom - plotTop, 40);
  const scale = valueScale(axis, values, [plotBottom, plotTop], count);
  const ticks = scale.ticks(count);
  const format = scale.tickFormat(count);
  const labels = ticks.map(format);
  const title = axis?.title ?? '';
  const labelRoom = Math.max(0, ...labels.map((label) => textWidth(label)));
  return { scale, ticks, labels, title, room: tickLength + 4 + labelRoom + (title ? 20 : 4) };
}

/** A vertical value axis on the given side of the plot: line, ticks, labels, rotated title. */
export function valueAxisSvg(
  layout: ValueAxisLayout,
  side: 'left' | 'right',
  at: number,
  plotTop: number,
  plotBottom: number,
): string {
  const out = side === 'left' ? -1 : 1;
  const anchor = side === 'left' ? 'end' : 'start';
  const parts = [
    `<line x1="${coordinate(at)}" y1="${coordinate(plotTop)}" x2="${coordinate(at)}" y2="${coordinate(plotBottom)}" stroke="${axisColor}"/>`,
  ];
  layout.ticks.forEach((tick, i) => {
    const y = coordinate(layout.scale(tick));
    parts.push(
      `<line x1="${coordinate(at)}" y1="${y}" x2="${coordinate(at + out * tickLength)}" y2="${y}" stroke="${axisColor}"/>`,
      `<text x="${coordinate(at + out * (tickLength + 3))}" y="${y}" dy="0.35em" text-anchor="${anchor}">${escapeXml(layout.labels[i] ?? '')}</text>`,
    );
  });
  if (layout.title) {
    const x = coordinate(at + out * (layout.room - 6));
    const y = coordinate((plotTop + plotBottom) / 2);
    parts.push(
      `<text x="${x}" y="${y}" text-anchor="middle" transform="rotate(${side === 'left' ? -90 : 90} ${x} ${y})">${escapeXml(layout.title)}</text>`,
    );
  }
  return `<g class="axis-${side}">${parts.join('')}</g>`;
}

/** Horizontal grid lines at a value axis's ticks, across the plot. */
export function gridSvg(layout: ValueAxisLayout, plotLeft: number, plotRight: number): string {
  return layout.ticks
    .map((tick) => {
      const y = coordinate(layout.scale(tick));
      return `<line x1="${coordinate(plotLeft)}" y1="${y}" x2="${coordinate(plotRight)}" y2="${y}" stroke="${gridColor}"/>`;
    })
    .join('');
}

export interface LegendLayout {
  /** Height the legend takes (0 without items). */
  height: number;
  /** The legend's SVG with its first row's centre line at y = top + rowHeight / 2. */
  svg(top: number): string;
}

/** Legend entries in rows centred under the plot, wrapped to the width (as Chart.js does). */
export function legendLayout(items: readonly LegendItem[], width: number): LegendLayout {
  const rows: { item: LegendItem; width: number }[][] = [];
  let row: { item: LegendItem; width: number }[] = [];
  let used = 0;
  for (const item of items) {
    const itemWidth = legendSample + 5 + textWidth(item.label);
    if (row.length > 0 && used + legendGap + itemWidth > width) {
      rows.push(row);
      row = [];
      used = 0;
    }
    used += (row.length > 0 ? legendGap : 0) + itemWidth;
    row.push({ item, width: itemWidth });
  }
  if (row.length > 0) rows.push(row);
  return {
    height: rows.length * rowHeight,
    svg(top: number): string {
      const parts: string[] = [];
      rows.forEach((entries, r) => {
        const rowWidth =
          entries.reduce((sum, e) => sum + e.width, 0) + legendGap * (entries.length - 1);
        let x = pad + (width - rowWidth) / 2;
        const y = top + r * rowHeight + rowHeight / 2;
        for (const { item, width: itemWidth } of entries) {
          parts.push(legendSampleSvg(item, x, y), legendTextSvg(item.label, x, y));
          x += itemWidth + legendGap;
        }
      });
      return `<g class="legend">${parts.join('')}</g>`;
    },
  };
}

function legendSampleSvg(item: LegendItem, x: number, y: number): string {
  const color = escapeXml(item.color);
  const middle = coordinate(x + legendSample / 2);
  if (item.kind === 'box') {
    return `<rect x="${coordinate(x + 3)}" y="${coordinate(y - 6)}" width="12" height="12" fill="${color}"/>`;
  }
  if (item.kind === 'points') {
    return `<circle cx="${middle}" cy="${coordinate(y)}" r="3" fill="${color}"/>`;
  }
  const sample = `<line x1="${coordinate(x)}" y1="${coordinate(y)}" x2="${coordinate(x + legendSample)}" y2="${coordinate(y)}" stroke="${color}" stroke-width="2"${dashAttribute(item.dash)}/>`;
  return item.marker
    ? sample + `<circle cx="${middle}" cy="${coordinate(y)}" r="2.5" fill="${color}"/>`
    : sample;
}

function legendTextSvg(label: string, x: number, y: number): string {
  return `<text x="${coordinate(x + legendSample + 5)}" y="${coordinate(y)}" dy="0.35em">${escapeXml(label)}</text>`;
}

export function dashAttribute(dash: readonly number[] | undefined): string {
  if (!dash || dash.length === 0) return '';
  if (dash.some((length) => !Number.isFinite(length) || length < 0)) {
    throw new Error(`SVG chart dash lengths must be finite and ≥ 0; got [${dash.join(', ')}]`);
  }
  return ` stroke-dasharray="${dash.map(coordinate).join(' ')}"`;
}

/** The title, centred above the plot. */
export function titleSvg(title: string, width: number): string {
  if (!title) return '';
  return `<text x="${coordinate(width / 2)}" y="${pad + titleSize}" text-anchor="middle" font-size="${titleSize}" font-weight="600">${escapeXml(title)}</text>`;
}

/** Where the plot can start: under the title, or near the top without one. */
export function titleRoom(title: string): number {
  return title ? pad + titleSize + 12 : pad + 4;
}

export function noteSvg(note: string, width: number, y: number): string {
  if (!note) return '';
  return `<text x="${coordinate(width / 2)}" y="${coordinate(y)}" dy="0.35em" text-anchor="middle" fill="${noteColor}">${escapeXml(note)}</text>`;
}

/** A standalone SVG file: XML declaration, size, font, white background, then the body. */
export function svgDocument(title: string, width: number, height: number, body: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${fontFamily}" font-size="${fontSize}" fill="${textColor}">` +
    `<title>${escapeXml(title)}</title>` +
    `<rect width="${width}" height="${height}" fill="#ffffff"/>` +
    body +
    '</svg>\n'
  );
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
        `<path d="${path ?? ''}" fill="none" stroke="${color}" stroke-width="1.5" stroke-linejoin="round"${dashAttribute(s.dash)}/>`,
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
