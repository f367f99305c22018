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
