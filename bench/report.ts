/** The bench's result rows, printed as a table and written as JSON. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface ResultRow {
  workload: string;
  /** 'rfw wasm+native', 'rfw wasm', 'rfw job (wasm+native, pool 2)', 'pytorch 1.13'. */
  engine: string;
  /** null when skipped. */
  seconds: number | null;
  rate: number | null;
  rateUnit: string;
  /** Our time / PyTorch's time for the same workload, when both exist. */
  ratioToTorch: number | null;
  /** 'failed': the workload threw (the note has the message); the bench goes on. */
  method: 'measured' | 'extrapolated' | 'skipped' | 'failed';
  note: string;
  /**
   * Threads doing the math, per engine worker for jobs: the native kernels' where they are in
   * front, else the backend's own (1 for cpu and for wasm under Node); null where unknown.
   */
  kernelThreads: number | null;
  /** Engine workers in the job runner's pool (job rows); null for in-process rows. */
  engineWorkers: number | null;
  /** BackendStatus.nativeKernels.detail on +native rows (what ran, or why skipped); else null. */
  nativeKernels: string | null;
}

/** '1 worker', '2 workers'. */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function cell(value: number | null, digits: number): string {
  return value === null || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}

export function formatTable(rows: readonly ResultRow[]): string {
  const header = ['workload', 'engine', 'seconds', 'rate', 'ratio to PyTorch', 'note'];
  const lines = rows.map((row) => [
    row.workload,
    row.engine,
    row.method === 'extrapolated' ? `~${cell(row.seconds, 2)} (est.)` : cell(row.seconds, 2),
    row.rate === null ? '—' : `${cell(row.rate, row.rate < 10 ? 2 : 0)} ${row.rateUnit}`,
    row.ratioToTorch === null ? '—' : `${cell(row.ratioToTorch, 2)}×`,
    row.note,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const format = (values: string[]): string =>
    values
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join(' │ ')
      .trimEnd();
  return [format(header), widths.map((w) => '─'.repeat(w)).join('─┼─'), ...lines.map(format)].join(
    '\n',
  );
}

/**
 * What the note column has no room for: one line per distinct native kernel detail (every
 * +native row of a run shares it) and what a job row's time spans.
 */
export function formatFootnotes(rows: readonly ResultRow[]): string {
  const details = new Set(
    rows.flatMap((row) => (row.nativeKernels === null ? [] : [row.nativeKernels])),
  );
  const lines = [...details].map((detail) => `native kernels: ${detail}`);
  if (rows.some((row) => row.engineWorkers !== null)) {
    lines.push(
      'rfw job rows: wall time from the start call to job.finished, pool = engine workers',
    );
  }
  return lines.join('\n');
}

export function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}
