/** The bench's result rows, printed as a table and written as JSON. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface ResultRow {
  workload: string;
  /** 'rfw wasm', 'rfw cpu', 'rfw job (wasm)', 'pytorch'. */
  engine: string;
  /** null when skipped. */
  seconds: number | null;
  rate: number | null;
  rateUnit: string;
  /** Our time / PyTorch's time for the same workload, when both exist. */
  ratioToTorch: number | null;
  method: 'measured' | 'extrapolated' | 'skipped';
  note: string;
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

export function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}
