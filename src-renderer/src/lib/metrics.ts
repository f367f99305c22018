/** Turns metric points (step, key, value) into chart series: losses left, accuracies right. */
import type { MetricPoint } from '@common/run-schemas';

export interface Series {
  /** What the series measures (a metric key, an attack method): picks its colour. Absent: label. */
  key?: string;
  label: string;
  /** The worst case over the other series: drawn on top, near-black, thick and dashed. */
  worstCase?: boolean;
  axis: 'left' | 'right';
  points: { x: number; y: number }[];
}

const metricLabels: Record<string, string> = {
  'train.loss': 'train loss',
  'train.accuracy': 'train accuracy',
  'train.adversarialLoss': 'train adversarial loss',
  'train.adversarialAccuracy': 'train adversarial accuracy',
  'test.accuracy': 'test accuracy',
  'test.adversarialAccuracy': 'test adversarial accuracy',
  'train.epsilon': 'training ε (warm-up)',
};

export function metricSeries(points: readonly MetricPoint[]): Series[] {
  const byKey = new Map<string, { x: number; y: number }[]>();
  for (const point of points) {
    let list = byKey.get(point.key);
    if (!list) {
      list = [];
      byKey.set(point.key, list);
    }
    list.push({ x: point.step, y: point.value });
  }
  return [...byKey.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, list]) => ({
      key,
      label: metricLabels[key] ?? key,
      axis: key.toLowerCase().includes('accuracy') ? 'right' : 'left',
      points: list.sort((a, b) => a.x - b.x),
    }));
}

/** The last value logged for each key, for a compact summary next to the chart. */
export function latestValues(points: readonly MetricPoint[]): Map<string, number> {
  const latest = new Map<string, { step: number; value: number }>();
  for (const point of points) {
    const seen = latest.get(point.key);
    if (!seen || point.step >= seen.step) latest.set(point.key, point);
  }
  return new Map([...latest.entries()].map(([key, { value }]) => [key, value]));
}

export function metricLabel(key: string): string {
  return metricLabels[key] ?? key;
}
