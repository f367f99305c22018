/**
 * The folder an export writes into: new, or existing and empty, so that nothing is ever
 * overwritten and everything in it afterwards is the export's. A failed or cancelled export
 * removes what it wrote (and the folder, if it made it).
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface ExportFolder {
  path: string;
  /** Removes everything the export wrote. */
  discard(): void;
}

/** Throws unless `folder` is missing or an empty folder; returns its absolute path. */
export function checkExportFolder(folder: string): string {
  const path = resolve(folder);
  if (!existsSync(path)) return path;
  if (!statSync(path).isDirectory()) {
    throw new Error(`${path} is a file: choose a new or empty folder for the export`);
  }
  if (readdirSync(path).length > 0) {
    throw new Error(`${path} is not empty: choose a new or empty folder for the export`);
  }
  return path;
}

export function prepareExportFolder(folder: string): ExportFolder {
  const path = checkExportFolder(folder);
  const created = !existsSync(path);
  if (created) mkdirSync(path, { recursive: true });
  return {
    path,
    discard() {
      if (created) {
        rmSync(path, { recursive: true, force: true });
        return;
      }
      for (const entry of readdirSync(path)) {
        rmSync(join(path, entry), { recursive: true, force: true });
      }
    },
  };
}
