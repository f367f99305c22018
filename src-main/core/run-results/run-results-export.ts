/**
 * `runs.exportResults`: an attack's or an evaluation's per-example results out of the project,
 * so that every figure can be checked without reading the SQLite file (issue 15 §5). Writes
 * into a new or empty folder, through a temporary folder renamed into place at the end
 * (export-folder.ts): a failed or killed export leaves nothing at the target.
 *
 *   run.json     the run (id, kind, name, config, stored figures), each column's meaning, files
 *   <table>.csv  and/or <table>/<column>.npy (results-table.ts): the per-example tables
 *   *.npy        the images, float32 [N, H, W, C] in [0, 1]
 * The tables and images of each kind: attack-results.ts, evaluation-results.ts.
 */
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { RunResultsExport, RunResultsExportRequest } from '../../common/run-results-schemas';
import type { ProjectStore } from '../../db/project-store';
import { prepareExportFolder } from '../datasets/export-folder';
import { writeNpy } from '../datasets/npy-writer';
import { makeFolders } from '../files/make-folders';
import { attackResults, type ExportedRun } from './attack-results';
import { evaluationResults } from './evaluation-results';
import { writeTable } from './results-table';

const exporters = { attack: attackResults, evaluation: evaluationResults } as const;

/** Reads the run (refusing another kind or an unfinished run) before anything is written. */
function readRun(
  store: ProjectStore,
  runId: number,
): { kind: 'attack' | 'evaluation'; run: ExportedRun } {
  const { kind } = store.runs.summary(runId);
  if (kind !== 'attack' && kind !== 'evaluation')
    throw new Error(
      `run ${runId} is a ${kind} run: only attack and evaluation runs have per-example results to export`,
    );
  return { kind, run: exporters[kind](store, runId) };
}

export async function exportRunResults(
  store: ProjectStore,
  request: RunResultsExportRequest,
): Promise<RunResultsExport> {
  const { kind, run } = readRun(store, request.runId);
  const folder = prepareExportFolder(request.folder);
  try {
    const files: string[] = [];
    for (const table of run.tables)
      files.push(...(await writeTable(folder.path, table, request.format)));
    for (const image of run.images) {
      const path = join(folder.path, image.file);
      makeFolders(dirname(path));
      await writeNpy(path, 'float32', image.shape, image.values);
      files.push(image.file);
    }
    const summary = store.runs.summary(request.runId);
    files.unshift('run.json');
    await writeFile(
      join(folder.path, 'run.json'),
      `${JSON.stringify(
        {
          runId: request.runId,
          kind,
          name: summary.name,
          backend: summary.backend,
          engineVersion: summary.engineVersion,
          finishedAt: summary.finishedAt,
          ...run.description,
          imageLayout: 'float32, NHWC, C order, values in [0, 1]',
          format: request.format,
          files,
        },
        null,
        2,
      )}\n`,
      { flag: 'wx' },
    );
    folder.commit();
    return {
      runId: request.runId,
      kind,
      folder: folder.target,
      files,
      summary: `exported ${kind} run ${request.runId} (${run.summary}) to ${folder.target}`,
    };
  } catch (error) {
    folder.discard();
    throw error;
  }
}
