/**
 * A per-example table of an exported run, written as CSV (one header line, one line per row,
 * comma-separated, no quoting needed: every cell is a number) and/or as one 1-D .npy per column
 * (`<table>/<column>.npy`, the rows in the CSV's order). The two hold the same values:
 *   int32    whole numbers (indices, classes);
 *   bool     0 or 1 (uint8 in .npy);
 *   float32  the stored float32 value; the CSV cell is the shortest decimal that reads back as
 *            exactly that float32 (so `np.float32(cell) == npy[row]`), empty for NaN (a value
 *            not recorded), `inf`/`-inf` for infinities.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeFolders } from '../files/make-folders';
import { writeNpy } from '../datasets/npy-writer';
import type { RunResultsFormat } from '../../common/run-results-schemas';

export type ResultsColumn =
  | { name: string; dtype: 'int32'; values: Int32Array }
  | { name: string; dtype: 'bool'; values: Uint8Array }
  | { name: string; dtype: 'float32'; values: Float32Array };

export interface ResultsTable {
  /** File stem: `<name>.csv` and the folder `<name>/` of .npy columns. */
  name: string;
  rows: number;
  columns: ResultsColumn[];
}

/** The shortest decimal that parses back to the float32 `value` (1 to 9 significant digits). */
export function float32Cell(value: number): string {
  if (Number.isNaN(value)) return '';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  for (let digits = 1; digits < 9; digits += 1) {
    const text = String(Number(value.toPrecision(digits)));
    if (Math.fround(Number(text)) === value) return text;
  }
  return String(Number(value.toPrecision(9)));
}

function cell(column: ResultsColumn, row: number): string {
  const value = column.values[row] ?? NaN;
  return column.dtype === 'float32' ? float32Cell(value) : String(value);
}

function checkTable(table: ResultsTable): void {
  for (const column of table.columns) {
    if (column.values.length !== table.rows)
      throw new Error(
        `column ${column.name} of ${table.name} has ${column.values.length} values for ${table.rows} rows`,
      );
  }
}

export function tableCsv(table: ResultsTable): string {
  checkTable(table);
  const lines = [table.columns.map((column) => column.name).join(',')];
  for (let row = 0; row < table.rows; row += 1)
    lines.push(table.columns.map((column) => cell(column, row)).join(','));
  return `${lines.join('\n')}\n`;
}

/**
 * Writes `table` into `folder` in `format`; returns the paths written, relative to `folder`.
 * The folder is the export's temporary one (export-folder.ts): nothing is visible at the target
 * until the whole export is there.
 */
export async function writeTable(
  folder: string,
  table: ResultsTable,
  format: RunResultsFormat,
): Promise<string[]> {
  checkTable(table);
  const files: string[] = [];
  if (format !== 'npy') {
    await writeFile(join(folder, `${table.name}.csv`), tableCsv(table), { flag: 'wx' });
    files.push(`${table.name}.csv`);
  }
  if (format !== 'csv') {
    makeFolders(join(folder, table.name));
    for (const column of table.columns) {
      const file = `${table.name}/${column.name}.npy`;
      const dtype = column.dtype === 'bool' ? 'uint8' : column.dtype;
      await writeNpy(join(folder, file), dtype, [table.rows], column.values);
      files.push(file);
    }
  }
  return files;
}
