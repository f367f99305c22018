/**
 * The parts of the SVG figure exports that every chart shares: XML escaping, the document, the
 * title and note, value axes laid out with d3-scale (domains, nice ticks, labels), the grid and
 * the legend. The look follows chart-setup.ts: font, text colour, light grid, legend at the
 * bottom. Strings only, no DOM, so it runs in Node tests as it does in the renderer.
 */
import { scaleLinear, type ScaleLinear } from 'd3-scale';

export interface SvgAxis {
  title?: string;
  /** A fixed [min, max] (accuracies: [0, 1]); absent: fitted to the data, rounded to nice ticks. */
  domain?: readonly [number, number];
  /** For a fitted domain: stretch it to include 0. */
  beginAtZero?: boolean;
}

/** One entry of the legend: a line sample (dashed or not), a marker, or a filled box (bars). */
export interface LegendItem {
  label: string;
  color: string;
  kind: 'line' | 'points' | 'box';
  dash?: readonly number[];
  /** Stroke width of a line sample: a thick series shows thick in the legend too; 2 if absent. */
  width?: number;
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
export const tickLength = 5;
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

export function checkAxis(axis: SvgAxis | undefined, name: string): void {
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
  const sample = `<line x1="${coordinate(x)}" y1="${coordinate(y)}" x2="${coordinate(x + legendSample)}" y2="${coordinate(y)}" stroke="${color}" stroke-width="${coordinate(Math.max(2, item.width ?? 2))}"${dashAttribute(item.dash)}/>`;
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
