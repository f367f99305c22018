/**
 * The project lock: one workbench process per project file. A lock is keyed by the file's real
 * identity (not the path as typed), records who holds it (PID, host, boot, process start time),
 * and is taken over only when its owner is provably gone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireProjectLock, lockPathFor } from '../../../src-main/db/project-lock';

const haveProc = existsSync('/proc/self/stat') && existsSync('/proc/sys/kernel/random/boot_id');

/** A live process that is not a workbench: its PID stands for a PID reused after a reboot. */
function sleeper(): ChildProcess {
  return spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
}

function lockRecord(project: string): Record<string, unknown> {
  return JSON.parse(readFileSync(lockPathFor(project), 'utf8')) as Record<string, unknown>;
}

function newProject(): string {
  const project = join(mkdtempSync(join(tmpdir(), 'rfw-lock-')), 'p.rfw');
  writeFileSync(project, '');
  return project;
}

describe('project lock', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
  });

  it('refuses a project held by another live process (old bare-PID lock), and takes over once it is gone', async () => {
    const project = newProject();
    const other = sleeper();
    const otherExit = new Promise((done) => other.on('exit', done));
    writeFileSync(lockPathFor(project), String(other.pid));
    expect(() => acquireProjectLock(project)).toThrow(
      `is open in another workbench process (PID ${other.pid}`,
    );
    other.kill('SIGKILL');
    await otherExit;
    const release = acquireProjectLock(project, 'cli');
    expect(lockRecord(project)).toMatchObject({
      pid: process.pid,
      hostname: hostname(),
      kind: 'cli',
    });
    release();
    expect(existsSync(lockPathFor(project))).toBe(false);
  });

  it('keys the lock by the real file: a symlink and a dir/../file spelling share one lock', () => {
    const project = newProject();
    const dir = dirname(project);
    const link = join(mkdtempSync(join(tmpdir(), 'rfw-link-')), 'alias.rfw');
    symlinkSync(project, link);
    mkdirSync(join(dir, 'sub'));
    // Spelled by hand: join() would tidy the '..' away.
    const spelled = `${dir}/sub/../p.rfw`;
    expect(lockPathFor(link)).toBe(lockPathFor(project));
    expect(lockPathFor(spelled)).toBe(lockPathFor(project));
    const release = acquireProjectLock(link);
    // The lock sits beside the real file, and says which file it guards.
    expect(existsSync(`${project}.lock`)).toBe(true);
    expect(lockRecord(project)).toMatchObject({ pid: process.pid });
    expect(typeof lockRecord(project)['inode']).toBe('number');
    release();
  });

  it('takes over a lock whose PID is alive but belongs to a process started at another time', (context) => {
    if (!haveProc) {
      console.warn('skipped: no /proc, so process start times cannot be read here');
      context.skip();
    }
    const project = newProject();
    const other = sleeper();
    children.push(other);
    const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    writeFileSync(
      lockPathFor(project),
      JSON.stringify({ pid: other.pid, hostname: hostname(), bootId, startTime: 1, kind: 'cli' }),
    );
    const release = acquireProjectLock(project);
    expect(lockRecord(project)).toMatchObject({ pid: process.pid, bootId });
    release();
  });

  it('takes over a lock written before the machine last booted, even if its PID is alive now', (context) => {
    if (!haveProc) {
      console.warn('skipped: no /proc, so the boot id cannot be read here');
      context.skip();
    }
    const project = newProject();
    const other = sleeper();
    children.push(other);
    writeFileSync(
      lockPathFor(project),
      JSON.stringify({
        pid: other.pid,
        hostname: hostname(),
        bootId: 'a-boot-before-this-one',
        startTime: null,
        kind: 'browser',
      }),
    );
    const release = acquireProjectLock(project);
    expect(lockRecord(project)).toMatchObject({ pid: process.pid });
    release();
  });

  it('does not take over a lock from another host (a network share), and says where the lock is', () => {
    const project = newProject();
    const lockText = JSON.stringify({
      pid: 999_999_999,
      hostname: 'another-machine.example',
      bootId: 'x',
      startTime: 5,
      kind: 'browser',
    });
    writeFileSync(lockPathFor(project), lockText);
    let message = '';
    try {
      acquireProjectLock(project);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('another-machine.example');
    expect(message).toContain(lockPathFor(project));
    expect(readFileSync(lockPathFor(project), 'utf8')).toBe(lockText);
  });
});
