/**
 * The folder an export writes into: new, or existing and empty, so that nothing is ever
 * overwritten and everything in it afterwards is the export's. The files are written into a
 * temporary folder beside it (`.<name>.partial-<pid>`) that is renamed into place at the end, so
 * an export that is killed leaves no half-filled target to block a retry; a failed or cancelled
 * export removes its temporary folder.
 */
import { existsSync, readdirSync, renameSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { checkFoldersCanBeMade, makeFolders } from '../files/make-folders';
import { partialPathFor, removeStalePartials } from '../files/partial-files';

export interface ExportFolder {
  /** Where the files are written (the temporary folder). */
  path: string;
  /** Where they end up once the export is complete. */
  target: string;
  /** Moves the finished export into place. */
  commit(): void;
  /** Removes everything the export wrote. */
  discard(): void;
}

/** Throws unless `folder` is missing or an empty folder; returns its absolute path. */
export function checkExportFolder(folder: string): string {
  const path = resolve(folder);
  if (!existsSync(path)) {
    // Fail now, with a reason, where the folder cannot be made (under /proc, read-only disks).
    checkFoldersCanBeMade(path);
    return path;
  }
  if (!statSync(path).isDirectory()) {
    throw new Error(`${path} is a file: choose a new or empty folder for the export`);
  }
  if (readdirSync(path).length > 0) {
    throw new Error(`${path} is not empty: choose a new or empty folder for the export`);
  }
  return path;
}

/** Moves the finished temporary folder onto the target, which must be missing or empty. */
function moveIntoPlace(from: string, target: string): void {
  try {
    // POSIX rename replaces an empty folder, and refuses (ENOTEMPTY, EEXIST) one with files.
    renameSync(from, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'EACCES') throw error;
    // Windows will not rename onto an existing folder: remove it, which works only while empty.
    rmdirSync(target);
    renameSync(from, target);
  }
}

/**
 * Moves a folder the engine finished writing into place, and gives the files it wrote (paths
 * under the partial folder) as they now stand under the target.
 */
export function commitWrittenFiles(folder: ExportFolder, files: readonly string[]): string[] {
  folder.commit();
  return files.map((file) => join(folder.target, relative(folder.path, file)));
}

export function prepareExportFolder(folder: string): ExportFolder {
  const target = checkExportFolder(folder);
  makeFolders(dirname(target));
  removeStalePartials(target);
  const path = partialPathFor(target);
  makeFolders(path);
  return {
    path,
    target,
    commit() {
      try {
        moveIntoPlace(path, target);
      } catch (error) {
        throw new Error(
          `the export could not be moved into ${target} (${(error as Error).message}); nothing was written there`,
          { cause: error },
        );
      }
    },
    discard() {
      rmSync(path, { recursive: true, force: true });
    },
  };
}
