/**
 * One workbench process per project file at a time. Two processes would each take the other's
 * running jobs for leftovers of a crash (and mark them interrupted), so opening a project takes
 * a lock file beside it, `<project>.lock`, holding the owner's PID. A lock whose process is gone
 * (killed, crashed) is stale and is taken over; that is exactly the case in which runs left
 * "running" really were interrupted.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { ProjectFileError } from './project-database';

export function lockPathFor(projectPath: string): string {
  return `${projectPath}.lock`;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else — still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ownerOf(lockPath: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Takes the lock for this process, or explains who holds it. Returns the release function. */
export function acquireProjectLock(projectPath: string): () => void {
  const lockPath = lockPathFor(projectPath);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        if (ownerOf(lockPath) === process.pid) rmSync(lockPath, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = ownerOf(lockPath);
      if (owner !== null && owner !== process.pid && processAlive(owner)) {
        throw new ProjectFileError(
          `${projectPath} is open in another workbench process (PID ${owner}); close it there first`,
        );
      }
      // Stale (its process is gone) or our own leftover: remove and try once more.
      rmSync(lockPath, { force: true });
    }
  }
  throw new ProjectFileError(`could not take the lock ${lockPath}`);
}
