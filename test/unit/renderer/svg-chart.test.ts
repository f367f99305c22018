import { describe, expect, it } from 'vitest';
import { scaleLinear } from 'd3-scale';
import {
  lineChartSvg,
  type SvgLineChart,
  type SvgLineSeries,
} from '../../../src-renderer/src/lib/svg-chart';
import { escapeXml } from '../../../src-renderer/src/lib/svg-figure';
import { barChartSvg } from '../../../src-renderer/src/lib/svg-bar-chart';

/**
 * A strict-enough XML well-formedness check for what the builders emit (no DOMParser in Node):
 * every tag is a name with double-quoted attributes, tags nest and close, one root element, and
 * no raw '<' or stray '&' in text or attribute values. Returns the root element's name.
 */
function wellFormedRoot(xml: string): string {
  const body = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, '');
  const token = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/y;
  const strayAmpersand = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/;
  const stack: string[] = [];
  let root = '';
  let index = 0;
  while (index < body.length) {
    token.lastIndex = index;
    const match = token.exec(body);
    if (!match) throw new Error(`not well-formed at ${index}: ${body.slice(index, index + 60)}`);
    index = token.lastIndex;
    const [, closing, name, attributes, selfClosing, text] = match;
    if (text !== undefined) {
      if (strayAmpersand.test(text)) throw new Error(`stray & in text: ${text}`);
      if (stack.length === 0 && text.trim() !== '') throw new Error(`text outside root: ${text}`);
      continue;
    }
    if (strayAmpersand.test(attributes ?? '')) throw new Error(`stray & in ${attributes}`);
    if (closing) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}>`);
    } else {
      if (!root) root = name ?? '';
      else if (stack.length === 0) throw new Error(`second root <${name}>`);
      if (!selfClosing) stack.push(name ?? '');
    }
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.join('> <')}>`);
  return root;
}

function count(svg: string, pattern: RegExp): number {
  return [...svg.matchAll(new RegExp(pattern.source, 'g'))].length;
}

/** The texts inside an axis group, e.g. its tick labels then its title. */
function axisTexts(svg: string, side: 'x' | 'left' | 'right'): string[] {
  const group = new RegExp(`<g class="axis-${side}">(.*?)</g>`).exec(svg)?.[1];
  if (group === undefined) throw new Error(`no ${side} axis`);
  return [...group.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] ?? '');
}

function ramp(n: number, f: (x: number) => number): { x: number; y: number }[] {
  return Array.from({ length: n }, (_, i) => ({ x: i * 10, y: f(i) }));
}

const loss: SvgLineSeries = {
  label: 'train loss',
  color: '#2563eb',
  dash: [4, 2],
  points: ramp(8, (i) => 2.7 - i * 0.3),
};
const accuracy: SvgLineSeries = {
  label: 'test accuracy',
  color: '#dc2626',
  axis: 'right',
  points: ramp(8, (i) => 0.2 + i * 0.08),
};

function chart(overrides: Partial<SvgLineChart> = {}): SvgLineChart {
  return {
    title: 'training',
    x: { title: 'step' },
    left: { title: 'loss' },
    right: { title: 'accuracy', domain: [0, 1] },
    series: [loss, accuracy],
    ...overrides,
  };
}

describe('escapeXml', () => {
  it('escapes markup characters and keeps other text', () => {
    expect(escapeXml(`‖δ‖∞ ≤ ε < 1 & "a" 'b' > 0`)).toBe(
      '‖δ‖∞ ≤ ε &lt; 1 &amp; &quot;a&quot; &apos;b&apos; &gt; 0',
    );
  });

  it('drops characters XML cannot hold, even escaped', () => {
    expect(escapeXml('a\u0000b\u001Fc\tdé\uD800f')).toBe('abc\tdéf');
    expect(escapeXml('😀')).toBe('😀');
  });
});

describe('lineChartSvg', () => {
  it('is a well-formed standalone SVG document with its size and title', () => {
    const svg = lineChartSvg(chart({ width: 800, height: 500 }));
    expect(wellFormedRoot(svg)).toBe('svg');
    expect(svg).toMatch(
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/,
    );
    expect(svg).toContain('width="800" height="500" viewBox="0 0 800 500"');
    expect(svg).toContain('<title>training</title>');
  });

  it('escapes labels, titles and notes wherever they appear', () => {
    const label = 'PGD ‖δ‖₂ < ε & "robust"';
    const svg = lineChartSvg(
      chart({
        title: 'a < b & c',
        x: { title: 'ε (×255) <' },
        note: 'dots: simulation & <lines>',
        series: [{ ...loss, label }],
      }),
    );
    expect(wellFormedRoot(svg)).toBe('svg');
    expect(svg).not.toContain(label);
    expect(svg).toContain('PGD ‖δ‖₂ &lt; ε &amp; &quot;robust&quot;');
    expect(svg).toContain('<title>a &lt; b &amp; c</title>');
    expect(svg).toContain('ε (×255) &lt;');
    expect(svg).toContain('dots: simulation &amp; &lt;lines&gt;');
  });

  it('draws one path per line series, markers for points-only series, with colours and dashes', () => {
    const simulation: SvgLineSeries = {
      label: 'simulated',
      color: '#059669',
      pointsOnly: true,
      inLegend: false,
      points: ramp(5, (i) => 0.3 + i * 0.1),
    };
    const svg = lineChartSvg(chart({ series: [loss, accuracy, { ...simulation, axis: 'right' }] }));
    expect(count(svg, /<path /)).toBe(2);
    expect(svg).toMatch(/<path d="M[^"]+" fill="none" stroke="#2563eb"[^>]*stroke-dasharray="4 2"/);
    expect(svg).toMatch(
      /<path d="M[^"]+" fill="none" stroke="#dc2626" stroke-width="1.5" stroke-linejoin="round"\/>/,
    );
    // Five markers in the plot, none in the legend (inLegend: false).
    expect(count(svg, /<circle [^>]*fill="#059669"/)).toBe(5);
    const legend = /<g class="legend">(.*?)<\/g>/.exec(svg)?.[1] ?? '';
    expect(legend).toContain('>train loss<');
    expect(legend).toContain('>test accuracy<');
    expect(legend).not.toContain('simulated');
    expect(legend).toContain('stroke-dasharray="4 2"');
  });

  it('breaks a line at non-finite points instead of drawing through them', () => {
    const points = [
      { x: 0, y: 1 },
      { x: 1, y: 2 },
      { x: 2, y: Number.NaN },
      { x: 3, y: 1.5 },
      { x: 4, y: 1 },
    ];
    const svg = lineChartSvg(chart({ series: [{ ...loss, points }] }));
    const d = /<path d="([^"]+)"/.exec(svg)?.[1] ?? '';
    expect(count(d, /M/)).toBe(2);
    expect(svg).not.toContain('NaN');
  });

  it('labels the axes with d3-scale ticks, and shows only the axes series use', () => {
    const svg = lineChartSvg(chart({ series: [loss] }));
    expect(svg).not.toContain('axis-right');
    const left = axisTexts(svg, 'left');
    expect(left.at(-1)).toBe('loss');
    const labels = left.slice(0, -1);
    // A fitted domain is the data's extent [0.6, 2.7] rounded outward to nice values, as
    // d3-scale's nice() does for some tick count.
    const candidates = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((n) => {
      const scale = scaleLinear().domain([0.6, 2.7]).nice(n);
      return scale.ticks(n).map(scale.tickFormat(n));
    });
    expect(candidates).toContainEqual(labels);
    expect(axisTexts(svg, 'x').at(-1)).toBe('step');
    expect(axisTexts(svg, 'x')).toContain('0');
    expect(axisTexts(svg, 'x')).toContain('70');
  });

  it('keeps fixed domains as given: accuracy stays [0, 1] whatever the data', () => {
    const svg = lineChartSvg(chart());
    const right = axisTexts(svg, 'right');
    expect(right.at(-1)).toBe('accuracy');
    const ticks = right.slice(0, -1).map(Number);
    expect(ticks[0]).toBe(0);
    expect(ticks.at(-1)).toBe(1);
    // The data runs 0.2 … 0.76, so a fitted axis would neither start at 0 nor end at 1.
    const fitted = axisTexts(lineChartSvg(chart({ right: { title: 'accuracy' } })), 'right');
    expect(fitted.slice(0, -1).map(Number)[0]).toBeGreaterThan(0);

    const narrow = lineChartSvg(chart({ x: { title: 'step', domain: [0, 30] } }));
    const xTicks = axisTexts(narrow, 'x').slice(0, -1).map(Number);
    expect(xTicks[0]).toBe(0);
    expect(xTicks.at(-1)).toBe(30);
    // Points past the fixed domain are clipped to the plot, not widening the axis.
    expect(narrow).toContain('clip-path="url(#plot-area)"');
  });

  it('includes 0 on a fitted axis that begins at zero', () => {
    const svg = lineChartSvg(
      chart({ left: { title: 'angle', beginAtZero: true }, series: [loss] }),
    );
    expect(Number(axisTexts(svg, 'left')[0])).toBe(0);
  });

  it('draws an empty chart with a default axis', () => {
    const svg = lineChartSvg(chart({ series: [] }));
    expect(wellFormedRoot(svg)).toBe('svg');
    expect(count(svg, /<path /)).toBe(0);
    expect(Number(axisTexts(svg, 'left')[0])).toBe(0);
  });

  it('rejects bad input with a message naming the problem', () => {
    expect(() => lineChartSvg(chart({ right: { domain: [1, 0] } }))).toThrow(/right axis domain/);
    expect(() => lineChartSvg(chart({ x: { domain: [0, Number.NaN] } }))).toThrow(/x axis domain/);
    expect(() => lineChartSvg(chart({ width: 20 }))).toThrow(/width must be/);
    expect(() => lineChartSvg(chart({ series: [{ ...loss, dash: [4, -1] }] }))).toThrow(/dash/);
  });
});

describe('barChartSvg', () => {
  const bars = {
    title: 'class counts',
    categories: ['zero', 'one', 'two <2>'],
    groups: [
      { label: 'train', color: '#2563eb', values: [0.5, 0.9, 0.25] },
      { label: 'test & more', color: '#dc2626', values: [0.4, Number.NaN, 0.3] },
    ],
  };

  it('draws one bar per finite value, grouped and coloured, with an escaped legend', () => {
    const svg = barChartSvg(bars);
    expect(wellFormedRoot(svg)).toBe('svg');
    expect(count(svg, /<rect x=[^>]*height="[\d.]+"\/>/)).toBe(5);
    expect(svg).toContain('data-label="train" fill="#2563eb"');
    expect(svg).toContain('data-label="test &amp; more" fill="#dc2626"');
    expect(axisTexts(svg, 'x')).toEqual(['zero', 'one', 'two &lt;2&gt;']);
    expect(Number(axisTexts(svg, 'left')[0])).toBe(0);
  });

  it('respects a fixed top of the value axis', () => {
    const ticks = axisTexts(barChartSvg({ ...bars, value: { domain: [0, 1] } }), 'left').map(
      Number,
    );
    expect(ticks[0]).toBe(0);
    expect(ticks.at(-1)).toBe(1);
  });

  it('rejects groups whose values do not match the categories', () => {
    expect(() =>
      barChartSvg({ ...bars, groups: [{ label: 'train', color: '#000', values: [1] }] }),
    ).toThrow(/"train" has 1 values for 3 categories/);
  });
});
