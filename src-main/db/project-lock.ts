/**
 * One workbench process per project file at a time. Two processes would each take the other's
 * running jobs for leftovers of a crash (and mark them interrupted), so opening a project takes
 * a lock file beside it, `<project>.lock`, saying who holds it (see lock-record.ts). A lock whose
 * owner is provably gone (killed, crashed, or from before a reboot) is stale and is taken over;
 * that is exactly the case in which runs left "running" really were interrupted.
 *
 * The lock belongs to the file, not to the path as typed: a symlink, a `dir/../file` spelling or
 * `/tmp` vs `/private/tmp` all name the same lock, beside the real file.
 */
import {
  linkSync,
  openSync,
  closeSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { describeOwner, ownerGone, ownRecord, readLock, type LockRecord } from './lock-record';
import { ProjectFileError } from './project-database';

/**
 * The project file's real path: symlinks and '..' resolved. A file that does not exist yet (a
 * project being created) is named by its folder's real path.
 */
export function realProjectPath(projectPath: string): string {
  const absolute = resolve(projectPath);
  try {
    return realpathSync(absolute);
  } catch {
    try {
      return join(realpathSync(dirname(absolute)), basename(absolute));
    } catch {
      return absolute;
    }
  }
}

export function lockPathFor(projectPath: string): string {
  return `${realProjectPath(projectPath)}.lock`;
}

let lockTempCounter = 0;

/**
 * Creates the lock file with its whole content, or returns false if one exists. Written under a
 * private name and hard-linked into place, so that nobody ever reads a half-written lock (an
 * empty one would look stale). Where hard links are not supported, an exclusive create does.
 */
function createLockFile(lockPath: string, content: string): boolean {
  lockTempCounter += 1;
  const temp = join(dirname(lockPath), `.${basename(lockPath)}.${process.pid}-${lockTempCounter}`);
  writeFileSync(temp, content, { flag: 'wx' });
  try {
    linkSync(temp, lockPath);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw error;
  } finally {
    rmSync(temp, { force: true });
  }
  try {
    const fd = openSync(lockPath, 'wx');
    try {
      writeSync(fd, content);
    } finally {
      closeSync(fd);
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** Removes the lock only if it still says what was read (another process may have retaken it). */
function removeIfUnchanged(lockPath: string, content: string): void {
  const now = readLock(lockPath);
  if (now !== null && now.content === content) rmSync(lockPath, { force: true });
}

function refusal(projectPath: string, lockPath: string, owner: LockRecord): ProjectFileError {
  const where =
    owner.hostname !== null && owner.hostname !== hostname()
      ? `a workbench on another computer (${describeOwner(owner)}), which cannot be checked from here`
      : `another workbench process (${describeOwner(owner)})`;
  return new ProjectFileError(
    `${projectPath} is open in ${where}; close it there first, or, if you are sure no workbench ` +
      `has it open, delete the lock file ${lockPath} and try again`,
  );
}

/** The live workbench (another process) that holds the project's lock, or null. */
export function lockOwner(projectPath: string): LockRecord | null {
  const held = readLock(lockPathFor(projectPath));
  const record = held?.record ?? null;
  if (record === null || record.pid === process.pid || ownerGone(record)) return null;
  return record;
}

/**
 * Takes the lock for this process, or explains who holds it and where the lock file is. `kind`
 * says which workbench took it (shown to whoever is refused). Returns the release function.
 */
export function acquireProjectLock(projectPath: string, kind = 'workbench'): () => void {
  const realPath = realProjectPath(projectPath);
  const lockPath = `${realPath}.lock`;
  let file: { dev: number; ino: number } | null = null;
  try {
    file = statSync(realPath);
  } catch {
    // Not created yet: the lock is taken before the file is made.
  }
  const content = `${JSON.stringify(ownRecord(kind, file), null, 2)}\n`;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    if (createLockFile(lockPath, content)) {
      return () => removeIfUnchanged(lockPath, content);
    }
    const held = readLock(lockPath);
    if (held === null) continue; // released between the two calls
    const owner = held.record;
    // Our own PID is a leftover of this very process (an earlier open that was not closed).
    if (owner !== null && owner.pid !== process.pid && !ownerGone(owner)) {
      throw refusal(projectPath, lockPath, owner);
    }
    // Stale (its owner is gone), unreadable, or our own leftover: remove it and try again.
    removeIfUnchanged(lockPath, held.content);
  }
  throw new ProjectFileError(`could not take the lock ${lockPath}`);
}
