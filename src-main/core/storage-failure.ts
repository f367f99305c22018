/**
 * The one place where a failed write to the project (or a step of a job) becomes a sentence for
 * the person at the screen. SQLite and the file system report a full disk, a failing disk and a
 * read-only file under several codes (SQLITE_FULL, ENOSPC, SQLITE_IOERR_WRITE, …); the person
 * needs to know which of the three it is, what was being written, where, and — for a full disk —
 * how much room is left, so that they can free enough and resume the run.
 */
import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { thrownMessage } from '../common/thrown-message';

export type StorageProblem = 'full' | 'failing' | 'read-only';

/** What was being attempted: a write into the project, or another step of a job. */
export type Attempt = { writing: string } | { doing: string };

function errorCode(error: unknown): string | null {
  if (typeof error !== 'object' || error === null || !('code' in error)) return null;
  const { code } = error as { code: unknown };
  return typeof code === 'string' ? code : null;
}

/** "write the checkpoint of epoch 3", "prepare the run". */
export function describeAttempt(attempt: Attempt): string {
  return 'writing' in attempt ? `write ${attempt.writing}` : attempt.doing;
}

/** Which storage problem an error reports (better-sqlite3's SqliteError or a Node fs error). */
export function storageProblem(error: unknown): StorageProblem | null {
  const code = errorCode(error);
  if (code === null) return null;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return 'full';
  // SQLITE_IOERR comes with extended codes (SQLITE_IOERR_WRITE, _FSYNC, _SHMSIZE, …).
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') return 'failing';
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS') return 'read-only';
  return null;
}

/** "12.3 MB free" on the file system holding `path`, or null where that cannot be read. */
function freeSpace(path: string): string | null {
  try {
    const stats = statfsSync(dirname(path));
    return `${((stats.bavail * stats.bsize) / 1e6).toFixed(1)} MB free`;
  } catch {
    return null;
  }
}

const problemWords: Record<StorageProblem, string> = {
  full: 'the disk is full',
  failing: 'the disk reported an error',
  'read-only': 'the project file cannot be written (read-only)',
};

/**
 * The message for a failure of `attempt` in the project at `projectPath`, e.g. "the disk is full:
 * could not write the checkpoint of epoch 3 to /p/x.rfw (1.2 MB free)". Other errors keep their
 * own message after what was being attempted.
 */
export function failureMessage(
  error: unknown,
  attempt: Attempt,
  projectPath: string | null,
): string {
  const action = describeAttempt(attempt);
  const problem = storageProblem(error);
  if (problem === null) return `could not ${action}: ${thrownMessage(error)}`;
  const details = [
    problem === 'full' && projectPath !== null ? freeSpace(projectPath) : null,
    problem === 'failing' ? errorCode(error) : null,
  ].filter((detail): detail is string => detail !== null);
  const where =
    projectPath === null ? '' : `${'writing' in attempt ? ' to' : ' in'} ${projectPath}`;
  const suffix = details.length > 0 ? ` (${details.join(', ')})` : '';
  return `${problemWords[problem]}: could not ${action}${where}${suffix}`;
}
