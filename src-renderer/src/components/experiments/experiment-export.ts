/** Saving an experiment's figures: the table as CSV, the whole stored run as JSON. */
import type { ExperimentConfig, ExperimentResult } from '@common/experiment-schemas';
import { downloadText, fileStem } from '../../lib/export';

export type CsvCell = string | number;

/** RFC 4180 quoting: a field with a comma, quote or line break is quoted, quotes doubled. */
function csvField(cell: CsvCell): string {
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

export function csvText(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}

/** A table to save: its column names and rows. */
export interface CsvTable {
  header: readonly string[];
  rows: readonly (readonly CsvCell[])[];
}

/** `part` names a second table of the same run in the file name ("… curves.csv"). */
export function exportCsv(
  config: ExperimentConfig,
  header: readonly string[],
  rows: readonly (readonly CsvCell[])[],
  part = '',
): void {
  const stem = fileStem(part === '' ? config.name : `${config.name} ${part}`);
  downloadText(`${stem}.csv`, csvText(header, rows), 'text/csv');
}

/** The config beside the result, so that the file says how the figures were made. */
export function exportJson(config: ExperimentConfig, result: ExperimentResult): void {
  const text = JSON.stringify({ config, result }, null, 2);
  downloadText(`${fileStem(config.name)}.json`, text, 'application/json');
}
