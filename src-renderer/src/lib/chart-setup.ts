/** Registers the chart.js pieces the workbench uses, once, so that the bundle stays small. */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartOptions,
  type LegendOptions,
} from 'chart.js';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
);
Chart.defaults.font.family = 'Inter, "Segoe UI", system-ui, sans-serif';
Chart.defaults.font.size = 11;
Chart.defaults.color = '#4b5563';
Chart.defaults.animation = false;

/** Every chart's categorical palette (BarChart, CurveChart index it; LineChart styles by key). */
export { categoricalColors as seriesColors } from './series-style';

export { Chart };

/**
 * The options every line chart of {x, y} points shares (LineChart, CurveChart): it fills its
 * box, takes the points as they are (no parsing), hovers the nearest x, and keys its series
 * under the plot with short line swatches. `labels`: the chart's own legend sort or filter.
 */
export function lineChartOptions(
  labels:
    Pick<LegendOptions<'line'>['labels'], 'sort'> | Pick<LegendOptions<'line'>['labels'], 'filter'>,
  scales: ChartOptions<'line'>['scales'],
): ChartOptions<'line'> {
  return {
    responsive: true,
    maintainAspectRatio: false,
    parsing: false,
    interaction: { mode: 'nearest', axis: 'x', intersect: false },
    plugins: { legend: { position: 'bottom', labels: { boxWidth: 12, boxHeight: 2, ...labels } } },
    scales,
  };
}
