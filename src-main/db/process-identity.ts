/**
 * Who a process is, beyond its PID. A PID is reused (after a reboot, or once the counter wraps),
 * so a lock that recorded only a PID cannot tell its owner from a stranger. On Linux the boot id
 * and the process's start time (in clock ticks since boot) pin a process down; elsewhere they are
 * null and the checks that need them are skipped.
 */
import { readFileSync } from 'node:fs';

/** Whether a process with this PID exists (whoever owns it). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else — still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** This boot of this machine (Linux), or null where the system does not say. */
export function currentBootId(): string | null {
  try {
    const id = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    return id === '' ? null : id;
  } catch {
    return null;
  }
}

/**
 * When the process started, in clock ticks since boot: field 22 of /proc/PID/stat (Linux). The
 * command name (field 2) is in parentheses and may hold spaces or ')', so fields are counted
 * from the last ')'. Null where there is no /proc or no such process.
 */
export function processStartTime(pid: number): number | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // After "pid (comm) " come field 3 (state) onwards; starttime is field 22, index 19 here.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const startTime = Number(fields[19]);
  return Number.isSafeInteger(startTime) ? startTime : null;
}
