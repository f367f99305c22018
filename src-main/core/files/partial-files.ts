/**
 * Writing to a temporary name beside the target and renaming at the end, so that an interrupted
 * write (a kill, a crash, a full disk) never leaves a half-written target that blocks a retry.
 * The temporary name `.<name>.partial-<pid>` says whose it is: a later attempt removes the
 * leftovers of processes that are gone (and those of its own PID, from an earlier attempt).
 */
import { readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { processAlive } from '../../db/process-identity';

/** Where this process writes what will become `target`. */
export function partialPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.partial-${process.pid}`);
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Removes `.<name>.partial-<pid>` files and folders (and their SQLite -journal, -wal, -shm) left
 * by processes that no longer run. Those of a live process are another write in progress.
 */
export function removeStalePartials(target: string): void {
  const folder = dirname(target);
  const pattern = new RegExp(
    `^\\.${escape(basename(target))}\\.partial-(\\d+)(-journal|-wal|-shm)?$`,
  );
  let entries: string[];
  try {
    entries = readdirSync(folder);
  } catch {
    return; // no folder yet: nothing left over
  }
  for (const entry of entries) {
    const match = pattern.exec(entry);
    const pid = Number(match?.[1]);
    if (match && (pid === process.pid || !processAlive(pid))) {
      rmSync(join(folder, entry), { recursive: true, force: true });
    }
  }
}
