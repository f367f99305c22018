import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '@common/run-schemas';
import { metricSeries, type Series } from '../../../src-renderer/src/lib/metrics';
import {
  assignColors,
  categoricalColors,
  evaluationColorSlots,
  styleSeries,
  trainingColorSlots,
  worstCaseLook,
} from '../../../src-renderer/src/lib/series-style';
import { lineDatasets, lineSvgSeries } from '../../../src-renderer/src/lib/line-chart-data';
import { lineChartSvg } from '../../../src-renderer/src/lib/svg-chart';

/** Two epochs of each key, as the training job logs them. */
function metrics(keys: readonly string[]): MetricPoint[] {
  return keys.flatMap((key) => [1, 2].map((step) => ({ key, step, value: 0.1 * step })));
}

const standard = ['train.loss', 'train.accuracy', 'test.accuracy', 'val_accuracy'];
const pgd = [
  ...standard,
  'train.adversarialLoss',
  'train.adversarialAccuracy',
  'test.adversarialAccuracy',
  'val_robust_accuracy',
  'train.epsilon',
];
const trades = [
  ...standard,
  'train.kl',
  'train.tradesLoss',
  'train.adversarialAccuracy',
  'test.adversarialAccuracy',
  'val_robust_accuracy',
  'train.epsilon',
];

function colorOf(series: readonly { key?: string; color: string }[], key: string): string {
  const found = series.find((s) => s.key === key);
  if (!found) throw new Error(`no series ${key}`);
  return found.color;
}

/** Robust accuracy against ε as EvaluationResults builds it: attacks, then the worst case. */
const evaluation: Series[] = [
  ...['fgsm', 'pgd', 'apgd-ce', 'square'].map((method, i) => ({
    key: method,
    label: method.toUpperCase(),
    axis: 'right' as const,
    points: [0, 0.1, 0.2].map((x) => ({ x, y: 0.9 - x * (i + 1) })),
  })),
  {
    label: 'worst case',
    worstCase: true,
    axis: 'right' as const,
    points: [0, 0.1, 0.2].map((x) => ({ x, y: 0.9 - x * 4 })),
  },
];

describe('series colours', () => {
  it.each([
    ['standard', standard],
    ['PGD', pgd],
    ['TRADES', trades],
  ])('gives every series of a %s training chart its own colour', (_, keys) => {
    const styled = styleSeries(metricSeries(metrics(keys)), trainingColorSlots);
    expect(styled).toHaveLength(keys.length);
    expect(new Set(styled.map((s) => s.color)).size).toBe(keys.length);
    for (const s of styled) expect(categoricalColors).toContain(s.color);
  });

  it('keeps test accuracy and validation robust accuracy apart (issue 12 §22)', () => {
    const styled = styleSeries(metricSeries(metrics(pgd)), trainingColorSlots);
    expect(colorOf(styled, 'test.accuracy')).not.toBe(colorOf(styled, 'val_robust_accuracy'));
  });

  it('gives a metric the same colour whatever else the run logged', () => {
    const runs = [standard, pgd, trades].map((keys) =>
      styleSeries(metricSeries(metrics(keys)), trainingColorSlots),
    );
    for (const key of standard) {
      const colors = runs.map((run) => colorOf(run, key));
      expect(new Set(colors).size, key).toBe(1);
    }
    expect(colorOf(runs[1] ?? [], 'val_robust_accuracy')).toBe(
      colorOf(runs[2] ?? [], 'val_robust_accuracy'),
    );
  });

  it('gives an attack the same colour whichever attacks ran with it', () => {
    const all = styleSeries(evaluation, evaluationColorSlots);
    const some = styleSeries(
      evaluation.filter((s) => s.key !== 'fgsm'),
      evaluationColorSlots,
    );
    expect(colorOf(some, 'pgd')).toBe(colorOf(all, 'pgd'));
    expect(colorOf(some, 'square')).toBe(colorOf(all, 'square'));
  });

  it('falls back to a free colour for a key whose slot is taken or unknown', () => {
    const colors = assignColors(['pgd', 'pgd', 'mystery', 'fgsm'], evaluationColorSlots);
    expect(new Set(colors).size).toBe(4);
    expect(colors[0]).toBe(categoricalColors[evaluationColorSlots['pgd'] ?? -1]);
    expect(colors[3]).toBe(categoricalColors[evaluationColorSlots['fgsm'] ?? -1]);
  });
});

describe('the worst case', () => {
  it('is last, near-black, thicker, dashed and drawn on top, wherever it was given', () => {
    const worstFirst = [evaluation[4], ...evaluation.slice(0, 4)].filter(
      (s): s is Series => s !== undefined,
    );
    for (const input of [evaluation, worstFirst]) {
      const styled = styleSeries(input, evaluationColorSlots);
      const worst = styled.at(-1);
      expect(worst?.label).toBe('worst case');
      expect(worst?.color).toBe(worstCaseLook.color);
      expect(categoricalColors).not.toContain(worstCaseLook.color);
      const attacks = styled.slice(0, -1);
      for (const attack of attacks) {
        expect(attack.color).not.toBe(worst?.color);
        expect(attack.width).toBeLessThan(worst?.width ?? 0);
        expect(attack.dash).toEqual([]);
        expect(attack.onTop).toBe(false);
      }
      expect(worst?.dash.length).toBeGreaterThan(0);
      expect(worst?.onTop).toBe(true);
    }
  });

  it('is drawn last by chart.js (lowest order) and last in the SVG, legend included', () => {
    const styled = styleSeries(evaluation, evaluationColorSlots);
    const datasets = lineDatasets(styled);
    const worst = datasets.at(-1);
    expect(worst?.label).toBe('worst case');
    // chart.js draws datasets from the highest order to the lowest: the lowest ends on top.
    for (const d of datasets.slice(0, -1)) expect(worst?.order).toBeLessThan(d.order);

    const svg = lineChartSvg({ title: 'robust accuracy', x: {}, series: lineSvgSeries(styled) });
    const groups = [...svg.matchAll(/<g class="series" data-label="([^"]*)">/g)].map((m) => m[1]);
    expect(groups.at(-1)).toBe('worst case');
    const legend = svg.slice(svg.indexOf('<g class="legend">'));
    const legendLabels = [...legend.matchAll(/dy="0.35em">([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(legendLabels.at(-1)).toBe('worst case');
    expect(legend).toContain(
      `stroke="${worstCaseLook.color}" stroke-width="${worstCaseLook.width}" stroke-dasharray="6 3"`,
    );
  });
});

/** text matched literally inside a RegExp (labels carry parentheses and ε). */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('chart.js and the SVG export', () => {
  it('draw each series in the same colour, width and dash', () => {
    for (const [input, slots] of [
      [metricSeries(metrics(trades)), trainingColorSlots],
      [evaluation, evaluationColorSlots],
    ] as const) {
      const styled = styleSeries(input, slots);
      const svg = lineChartSvg({
        title: 'chart',
        x: {},
        right: { domain: [0, 1] },
        series: lineSvgSeries(styled),
      });
      for (const dataset of lineDatasets(styled)) {
        const group = new RegExp(
          `<g class="series" data-label="${literal(dataset.label)}"><path [^>]*stroke="([^"]+)" stroke-width="([^"]+)"[^>]*?(?: stroke-dasharray="([^"]+)")?/>`,
        ).exec(svg);
        expect(group, dataset.label).not.toBeNull();
        expect(group?.[1]).toBe(dataset.borderColor);
        expect(Number(group?.[2])).toBe(dataset.borderWidth);
        expect(group?.[3] ?? '').toBe(dataset.borderDash.join(' '));
      }
    }
  });
});
