/**
 * The one place chart series get their colour, width and dash, for the chart.js canvas and the
 * SVG export alike (line-chart-data.ts turns the result into either).
 *
 * Colours come from one categorical palette, Tableau 10. A series is pinned to a palette slot by
 * its key (metric key, attack method), not by its position among the series a run happens to
 * log: position-based colours wrapped after eight series (test accuracy and validation robust
 * accuracy came out the same blue) and moved when a run logged one metric more or less.
 */
import { methodDescriptors } from '@common/attacks/attack-registry';
import { schemeTableau10 } from 'd3-scale-chromatic';
import type { Series } from './metrics';

/** Tableau's ten categorical colours: apart in hue and lightness, readable on white. */
export const categoricalColors: readonly string[] = schemeTableau10;

/**
 * The worst case over attacks: near-black, which no palette colour is, thicker and dashed, so it
 * stays visible where it coincides with the strongest attack's line (it is their minimum).
 */
export const worstCaseLook = { color: '#111827', width: 2.5, dash: [6, 3] } as const;

/** Line width of every other series, in CSS pixels. */
const seriesWidth = 1.5;
/** Losses (left axis) are dashed so a loss and an accuracy never read as one line. */
const leftAxisDash: readonly number[] = [4, 2];

/**
 * Palette slots of the training metrics. Eleven keys share ten slots: the PGD step's loss and
 * the TRADES loss share one because a run is trained with one recipe or the other, never both.
 */
export const trainingColorSlots: Readonly<Record<string, number>> = {
  'train.loss': 0,
  'train.accuracy': 1,
  'train.adversarialLoss': 2,
  'train.tradesLoss': 2,
  'train.adversarialAccuracy': 3,
  'test.accuracy': 4,
  'test.adversarialAccuracy': 5,
  val_accuracy: 6,
  val_robust_accuracy: 7,
  'train.kl': 8,
  'train.epsilon': 9,
};

/**
 * Palette slots of the evaluation's attacks, by method: each method's descriptor's colorSlot
 * (common/attacks), and 'transfer'.
 */
export const evaluationColorSlots: Readonly<Record<string, number>> = {
  ...Object.fromEntries(methodDescriptors.map((method) => [method.name, method.colorSlot])),
  transfer: 5,
};

export interface StyledSeries extends Series {
  color: string;
  width: number;
  /** stroke dash in pixels; empty: solid. */
  dash: readonly number[];
  pointRadius: number;
  /** Drawn above every other series. */
  onTop: boolean;
}

/**
 * One palette colour per key: first each key with a free pinned slot takes it, then the other
 * keys (unknown, or whose slot a duplicate took) take the lowest free slots in the given order.
 * Distinct for up to ten keys; past ten, colours repeat, as ten is all the palette has.
 */
export function assignColors(
  keys: readonly string[],
  slots: Readonly<Record<string, number>>,
): string[] {
  const count = categoricalColors.length;
  const chosen: (number | null)[] = keys.map(() => null);
  const taken = new Set<number>();
  keys.forEach((key, i) => {
    const slot = slots[key];
    if (slot !== undefined && slot < count && !taken.has(slot)) {
      chosen[i] = slot;
      taken.add(slot);
    }
  });
  let next = 0;
  return chosen.map((slot, i) => {
    if (slot === null) {
      while (next < count && taken.has(next)) next += 1;
      slot = next < count ? next : i % count;
      taken.add(slot);
    }
    return categoricalColors[slot] ?? categoricalColors[0] ?? '#4b5563';
  });
}

/** A series' identity for its colour: its key, or its label where it has none. */
function keyOf(series: Series): string {
  return series.key ?? series.label;
}

/**
 * The look of every series of one line chart, worst cases moved to the end so that they are
 * drawn last (on top) and listed last in the legend.
 */
export function styleSeries(
  series: readonly Series[],
  slots: Readonly<Record<string, number>> = {},
): StyledSeries[] {
  const plain = series.filter((s) => s.worstCase !== true);
  const worst = series.filter((s) => s.worstCase === true);
  const colors = assignColors(plain.map(keyOf), slots);
  const pointRadius = (s: Series): number => (s.points.length > 60 ? 0 : 2);
  return [
    ...plain.map((s, i) => ({
      ...s,
      color: colors[i] ?? worstCaseLook.color,
      width: seriesWidth,
      dash: s.axis === 'left' ? leftAxisDash : [],
      pointRadius: pointRadius(s),
      onTop: false,
    })),
    ...worst.map((s) => ({
      ...s,
      color: worstCaseLook.color,
      width: worstCaseLook.width,
      dash: worstCaseLook.dash,
      pointRadius: pointRadius(s),
      onTop: true,
    })),
  ];
}
