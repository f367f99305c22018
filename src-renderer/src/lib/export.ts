/** Saving what the user looks at: figures as PNG, numbers as CSV or JSON. */
import type { MetricPoint } from '@common/run-schemas';

function download(filename: string, href: string): void {
  const link = document.createElement('a');
  link.href = href;
  link.download = filename;
  link.click();
}

export function downloadText(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  download(filename, url);
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadDataUrl(filename: string, dataUrl: string): void {
  download(filename, dataUrl);
}

/** One row per (step, key): long format, which every plotting tool reads. */
export function metricsCsv(points: readonly MetricPoint[]): string {
  const rows = points.map((p) => `${p.step},${JSON.stringify(p.key)},${p.value}`);
  return ['step,key,value', ...rows].join('\n') + '\n';
}

/** A file name from free text: letters, digits, dots and dashes only. */
export function fileStem(text: string): string {
  return text.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'export';
}
