/**
 * Creating the folders an export or a project file goes into, without Node's recursive mkdir:
 * on some filesystems (/proc, sysfs) mkdir answers ENOENT for a folder whose parent exists, and
 * Node 20's `mkdir -p` then retries the parent forever. Here each missing level is made once,
 * from the nearest existing ancestor down, and any refusal becomes a message naming the path.
 */
import { accessSync, constants, mkdirSync, rmdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** The folders from the nearest existing ancestor (first) down to `path`, which are missing. */
function missingLevels(path: string): { ancestor: string; missing: string[] } {
  const missing: string[] = [];
  let current = resolve(path);
  for (;;) {
    try {
      statSync(current);
      return { ancestor: current, missing: missing.reverse() };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const parent = dirname(current);
    if (parent === current) return { ancestor: current, missing: missing.reverse() };
    missing.push(current);
    current = parent;
  }
}

/** Makes `path` and any missing parents; throws a message that says why one cannot be made. */
export function makeFolders(path: string): void {
  makeLevels(path, Infinity);
}

/**
 * Throws, with makeFolders' message, unless `path` (missing) could be made: the first missing
 * level is made and removed again. Checked when a job is accepted, before any waiting.
 */
export function checkFoldersCanBeMade(path: string): void {
  const made = makeLevels(path, 1);
  if (made !== null) rmdirSync(made);
}

/** Makes up to `limit` missing levels; returns the topmost folder it made, or null. */
function makeLevels(path: string, limit: number): string | null {
  const target = resolve(path);
  const { ancestor, missing } = missingLevels(target);
  if (missing.length === 0) {
    if (!statSync(target).isDirectory()) throw new Error(`${target} is a file, not a folder`);
    return null;
  }
  if (!statSync(ancestor).isDirectory()) {
    throw new Error(`cannot create ${target}: ${ancestor} is a file, not a folder`);
  }
  try {
    accessSync(ancestor, constants.W_OK);
  } catch {
    throw new Error(`cannot create ${target}: ${ancestor} is not writable`);
  }
  let topmost: string | null = null;
  for (const level of missing.slice(0, limit)) {
    try {
      mkdirSync(level);
      topmost ??= level;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && statSync(level).isDirectory()) {
        continue; // made by someone else meanwhile
      }
      throw new Error(
        `cannot create ${target}: making ${level} failed (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); choose a folder on a normal, writable disk`,
        { cause: error },
      );
    }
  }
  return topmost;
}
