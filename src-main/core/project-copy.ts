/**
 * Save As: a consistent snapshot of the open project (VACUUM INTO) written under a temporary name
 * beside the target, `.<name>.partial-<pid>`, and linked into place only once it is complete.
 * A Save As that is killed half-way leaves that temporary file (and its -journal), never a
 * half-written project under the chosen name, and the next Save As removes it.
 */
import { linkSync, renameSync, rmSync, existsSync } from 'node:fs';
import type { ProjectDatabase } from '../db/project-database';
import { ProjectFileError } from '../db/project-database';
import { partialPathFor, removeStalePartials } from './files/partial-files';

const sqliteSidecars = ['', '-journal', '-wal', '-shm'];

/** Puts the finished copy at `target`, never over a file that appeared there meanwhile. */
function moveIntoPlace(partial: string, target: string): void {
  try {
    // A hard link fails if the target exists, where a rename would replace it.
    linkSync(partial, target);
    rmSync(partial);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      throw new ProjectFileError(`${target} already exists; choose a new file name`);
    }
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw error;
  }
  // No hard links on this filesystem: rename, after checking the name is still free.
  if (existsSync(target)) {
    throw new ProjectFileError(`${target} already exists; choose a new file name`);
  }
  renameSync(partial, target);
}

export function copyProjectFile(db: ProjectDatabase, target: string): void {
  removeStalePartials(target);
  const partial = partialPathFor(target);
  try {
    db.prepare('VACUUM INTO ?').run(partial);
    moveIntoPlace(partial, target);
  } finally {
    for (const suffix of sqliteSidecars) rmSync(`${partial}${suffix}`, { force: true });
  }
}
