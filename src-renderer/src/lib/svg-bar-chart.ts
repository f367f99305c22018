/**
 * Grouped bar charts as SVG text, the vector export of BarChart.svelte: one band per category
 * (d3-scale's scaleBand), one bar per group inside it, a value axis from 0 (or a fixed domain,
 * e.g. [0, 1] for accuracies), a legend of filled boxes. Frame, axis and legend are shared with
 * the line charts through svg-figure.ts.
 */
import { scaleBand } from 'd3-scale';
import {
  axisColor,
  checkSize,
  coordinate,
  escapeXml,
  fontSize,
  gridSvg,
  legendLayout,
  pad,
  rowHeight,
  svgDocument,
  textWidth,
  titleRoom,
  titleSvg,
  valueAxisLayout,
  valueAxisSvg,
  type SvgAxis,
} from './svg-figure';

export interface SvgBarGroup {
  label: string;
  /** Fill colour: any CSS colour, in practice chart-setup.ts's seriesColors. */
  color: string;
  /** One value per category, in the order of categories; non-finite values draw no bar. */
  values: readonly number[];
}

export interface SvgBarChart {
  title: string;
  /** The labels under the bands. */
  categories: readonly string[];
  groups: readonly SvgBarGroup[];
  /** The value axis; its fitted domain always includes 0, where the bars start. */
  value?: SvgAxis;
  /** Size in CSS pixels; 720 × 440 when absent. */
  width?: number;
  height?: number;
}

/** Band padding as Chart.js's defaults: categories 80 % of their slot, bars 90 % of theirs. */
const categoryPadding = 0.2;
const barPadding = 0.1;

export function barChartSvg(chart: SvgBarChart): string {
  const width = checkSize(chart.width ?? 720, 'width');
  const height = checkSize(chart.height ?? 440, 'height');
  chart.groups.forEach((group) => {
    if (group.values.length !== chart.categories.length) {
      throw new Error(
        `SVG bar chart group "${group.label}" has ${group.values.length} values for ${chart.categories.length} categories`,
      );
    }
  });
  const domain = chart.value?.domain;
  if (
    domain &&
    !(Number.isFinite(domain[0]) && Number.isFinite(domain[1]) && domain[0] < domain[1])
  ) {
    throw new Error(
      `SVG bar chart value axis domain must be two finite numbers, min < max; got [${domain[0]}, ${domain[1]}]`,
    );
  }

  const legend = legendLayout(
    chart.groups.map((g) => ({ label: g.label, color: g.color, kind: 'box' as const })),
    width - 2 * pad,
  );

  // Category labels turn by 45° when the widest does not fit its band (as Chart.js turns them);
  // the band width depends on the left axis's room, so estimate it from the whole width first.
  const labelWidth = Math.max(0, ...chart.categories.map((c) => textWidth(c)));
  const roughStep = (width - 2 * pad - 60) / Math.max(1, chart.categories.length);
  const turned = labelWidth > roughStep * 0.95;
  const labelRoom = turned ? labelWidth * Math.SQRT1_2 + fontSize : rowHeight;

  const plotTop = titleRoom(chart.title);
  const plotBottom = height - pad - (5 + labelRoom + 8 + legend.height);
  if (plotBottom - plotTop < 40) {
    throw new Error(`SVG bar chart height ${height} leaves no room for the bars under the labels`);
  }
  const values = chart.groups.flatMap((g) => g.values);
  const axis = valueAxisLayout({ beginAtZero: true, ...chart.value }, values, plotTop, plotBottom);
  const plotLeft = pad + axis.room;
  const plotRight = width - pad - 16;
  if (plotRight - plotLeft < 40) {
    throw new Error(`SVG bar chart width ${width} leaves no room for the bars beside the axis`);
  }

  const bands = scaleBand<number>()
    .domain(chart.categories.map((_, i) => i))
    .range([plotLeft, plotRight])
    .paddingInner(categoryPadding)
    .paddingOuter(categoryPadding / 2);
  const bars = scaleBand<number>()
    .domain(chart.groups.map((_, i) => i))
    .range([0, bands.bandwidth()])
    .paddingInner(barPadding);
  const y = axis.scale;
  // Bars start at 0, or at the domain's edge when a fixed domain leaves 0 out.
  const [low, high] = y.domain() as [number, number];
  const base = y(Math.min(Math.max(0, low), high));

  const parts: string[] = [
    titleSvg(chart.title, width),
    `<g class="grid">${gridSvg(axis, plotLeft, plotRight)}</g>`,
  ];
  chart.groups.forEach((group, g) => {
    const rects: string[] = [];
    group.values.forEach((value, c) => {
      if (!Number.isFinite(value)) return;
      const x = (bands(c) ?? 0) + (bars(g) ?? 0);
      const top = y(Math.min(Math.max(value, low), high));
      rects.push(
        `<rect x="${coordinate(x)}" y="${coordinate(Math.min(top, base))}" width="${coordinate(bars.bandwidth())}" height="${coordinate(Math.abs(base - top))}"/>`,
      );
    });
    parts.push(
      `<g class="series" data-label="${escapeXml(group.label)}" fill="${escapeXml(group.color)}">${rects.join('')}</g>`,
    );
  });

  const categoryAxis = [
    `<line x1="${coordinate(plotLeft)}" y1="${coordinate(plotBottom)}" x2="${coordinate(plotRight)}" y2="${coordinate(plotBottom)}" stroke="${axisColor}"/>`,
  ];
  chart.categories.forEach((category, c) => {
    const x = coordinate((bands(c) ?? 0) + bands.bandwidth() / 2);
    const labelY = coordinate(plotBottom + 5 + (turned ? fontSize / 2 : rowHeight / 2));
    categoryAxis.push(
      turned
        ? `<text x="${x}" y="${labelY}" dy="0.35em" text-anchor="end" transform="rotate(-45 ${x} ${labelY})">${escapeXml(category)}</text>`
        : `<text x="${x}" y="${labelY}" dy="0.35em" text-anchor="middle">${escapeXml(category)}</text>`,
    );
  });
  parts.push(`<g class="axis-x">${categoryAxis.join('')}</g>`);
  parts.push(valueAxisSvg(axis, 'left', plotLeft, plotTop, plotBottom));
  parts.push(legend.svg(plotBottom + 5 + labelRoom + 8));
  return svgDocument(chart.title, width, height, parts.join(''));
}
