/**
 * Exports of a features result: the figure as one PNG (every panel, row and picture with its
 * caption, heatmaps drawn as on screen), the table as CSV, the curves as CSV, and config +
 * result as JSON.
 */
import type { FeatureCell, FeaturesRun } from '@common/features-result-schemas';
import type { Artifact } from '@common/run-schemas';
import { downloadDataUrl, downloadText, fileStem } from '../../lib/export';
import { heatmapImageData, type ColormapName } from '../../lib/heatmap';
import { decodeValues, imageData, imageShape } from '../../lib/pixels';

export interface FigureStyle {
  colormap: ColormapName;
  opacity: number;
}

/** Pixels per image side in the figure, captions' line height, gaps. */
const CELL = 112;
const LINE = 14;
const GAP = 10;

function csvCell(value: string | number): string {
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}

export function tableCsv(run: FeaturesRun): string {
  const { columns, rows } = run.result.table;
  return [columns.map(csvCell), ...rows.map((row) => row.map(csvCell))].join('\n') + '\n';
}

/** Long format: one row per (curve, step). */
export function curvesCsv(run: FeaturesRun): string {
  const rows = run.result.curves.flatMap((curve) =>
    curve.values.map((value, step) => `${JSON.stringify(curve.label)},${step},${value}`),
  );
  return ['curve,step,value', ...rows].join('\n') + '\n';
}

export function exportTable(run: FeaturesRun): void {
  downloadText(`${fileStem(run.config.name)}.csv`, tableCsv(run), 'text/csv');
}

export function exportCurves(run: FeaturesRun): void {
  downloadText(`${fileStem(run.config.name)}-curves.csv`, curvesCsv(run), 'text/csv');
}

export function exportJson(run: FeaturesRun): void {
  downloadText(
    `${fileStem(run.config.name)}.json`,
    JSON.stringify({ config: run.config, result: run.result }, null, 2),
    'application/json',
  );
}

/** A cell's pixels as drawn on screen. */
async function cellImage(
  cell: FeatureCell,
  artifact: (id: number) => Promise<Artifact>,
  style: FigureStyle,
): Promise<ImageData> {
  const picture = await artifact(cell.artifactId);
  const shape = imageShape(picture.shape);
  const values = decodeValues(picture.data, picture.dtype);
  if (cell.display === 'image') return imageData(values, shape);
  const base = cell.baseArtifactId === null ? null : await artifact(cell.baseArtifactId);
  const under = base && {
    values: decodeValues(base.data, base.dtype),
    shape: imageShape(base.shape),
  };
  return heatmapImageData(values, under, shape, style.colormap, under ? style.opacity : 1);
}

/** The whole figure on one canvas, as a PNG data URL. */
export async function figurePng(
  run: FeaturesRun,
  artifact: (id: number) => Promise<Artifact>,
  style: FigureStyle,
): Promise<string> {
  const panels = run.result.panels;
  const columns = Math.max(1, ...panels.flatMap((p) => p.rows.map((row) => row.cells.length)));
  const rowHeight = CELL + 3 * LINE + GAP;
  const rows = panels.reduce((sum, p) => sum + p.rows.length, 0);
  const canvas = document.createElement('canvas');
  canvas.width = GAP + columns * (CELL + GAP);
  canvas.height = GAP + 2 * LINE + panels.length * (LINE + GAP) + rows * (rowHeight + LINE);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('the browser gave no 2D canvas');
  context.fillStyle = '#fff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.fillStyle = '#111';
  context.font = 'bold 13px sans-serif';
  context.fillText(`${run.config.name} (${run.config.view})`, GAP, GAP + LINE);
  context.imageSmoothingEnabled = false;
  let y = GAP + 2 * LINE;
  for (const panel of panels) {
    context.font = 'bold 12px sans-serif';
    context.fillStyle = '#111';
    context.fillText(panel.title, GAP, y + LINE);
    y += LINE + GAP;
    for (const row of panel.rows) {
      context.font = '11px sans-serif';
      context.fillStyle = '#555';
      context.fillText(row.caption, GAP, y + LINE - 3);
      y += LINE;
      for (const [c, cell] of row.cells.entries()) {
        const image = await cellImage(cell, artifact, style);
        const scratch = document.createElement('canvas');
        scratch.width = image.width;
        scratch.height = image.height;
        scratch.getContext('2d')?.putImageData(image, 0, 0);
        const x = GAP + c * (CELL + GAP);
        context.drawImage(scratch, x, y, CELL, CELL);
        context.fillStyle = '#111';
        context.fillText(cell.caption, x, y + CELL + LINE - 2, CELL);
        const [first] = Object.entries(cell.numbers);
        if (first) {
          context.fillStyle = '#555';
          context.fillText(
            `${first[0]}: ${Number(first[1].toPrecision(3))}`,
            x,
            y + CELL + 2 * LINE - 2,
            CELL,
          );
        }
      }
      y += rowHeight;
    }
  }
  return canvas.toDataURL('image/png');
}

export async function exportFigure(
  run: FeaturesRun,
  artifact: (id: number) => Promise<Artifact>,
  style: FigureStyle,
): Promise<void> {
  downloadDataUrl(`${fileStem(run.config.name)}.png`, await figurePng(run, artifact, style));
}
