/**
 * What a project lock file says about its owner, and whether that owner is provably gone.
 * Written as JSON; older workbenches wrote the bare PID, which is still read (with nothing but
 * the PID to go on, such a lock is stale only when no process has that PID).
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { currentBootId, processAlive, processStartTime } from './process-identity';

export interface LockRecord {
  pid: number;
  /** Null in an old bare-PID lock. */
  hostname: string | null;
  bootId: string | null;
  startTime: number | null;
  /** Which workbench holds it: 'cli', 'browser', 'electron'… */
  kind: string | null;
  /** The project file's identity when the lock was taken (null while it was being created). */
  device: number | null;
  inode: number | null;
  acquiredAt: string | null;
}

/** The record this process writes. */
export function ownRecord(kind: string, file: { dev: number; ino: number } | null): LockRecord {
  return {
    pid: process.pid,
    hostname: hostname(),
    bootId: currentBootId(),
    startTime: processStartTime(process.pid),
    kind,
    device: file?.dev ?? null,
    inode: file?.ino ?? null,
    acquiredAt: new Date().toISOString(),
  };
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const integer = (value: unknown): number | null =>
  typeof value === 'number' && Number.isSafeInteger(value) ? value : null;

/** Parses a lock file's text; null when it names no PID (empty, half-written, or not a lock). */
export function parseLockRecord(content: string): LockRecord | null {
  const trimmed = content.trim();
  if (/^\d+$/.test(trimmed)) {
    const pid = Number(trimmed);
    return pid > 0
      ? {
          pid,
          hostname: null,
          bootId: null,
          startTime: null,
          kind: null,
          device: null,
          inode: null,
          acquiredAt: null,
        }
      : null;
  }
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const fields = value as Record<string, unknown>;
  const pid = integer(fields['pid']);
  if (pid === null || pid <= 0) return null;
  return {
    pid,
    hostname: text(fields['hostname']),
    bootId: text(fields['bootId']),
    startTime: integer(fields['startTime']),
    kind: text(fields['kind']),
    device: integer(fields['device']),
    inode: integer(fields['inode']),
    acquiredAt: text(fields['acquiredAt']),
  };
}

/** The lock file's text and record; null when there is no file. */
export function readLock(lockPath: string): { content: string; record: LockRecord | null } | null {
  let content: string;
  try {
    content = readFileSync(lockPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return { content, record: parseLockRecord(content) };
}

/**
 * Whether the owner can be shown to be gone. A lock from another host cannot be checked from
 * here (its PID means nothing on this machine), so it is never judged gone.
 */
export function ownerGone(record: LockRecord): boolean {
  if (record.hostname !== null && record.hostname !== hostname()) return false;
  const bootId = currentBootId();
  // Written before the last reboot: every process of that boot is gone.
  if (record.bootId !== null && bootId !== null && record.bootId !== bootId) return true;
  if (!processAlive(record.pid)) return true;
  // The PID is alive, but a process that started at another time holds it now.
  const startTime = processStartTime(record.pid);
  return record.startTime !== null && startTime !== null && startTime !== record.startTime;
}

/** "PID 123, the cli, on host x since …" — for messages. */
export function describeOwner(record: LockRecord): string {
  return [
    `PID ${record.pid}`,
    ...(record.kind ? [`the ${record.kind} workbench`] : []),
    ...(record.hostname ? [`on ${record.hostname}`] : []),
    ...(record.acquiredAt ? [`since ${record.acquiredAt}`] : []),
  ].join(', ');
}
