import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireProjectLock, lockPathFor } from '../../../src-main/db/project-lock';

describe('project lock', () => {
  it('refuses a project held by another live process, and takes over once it is gone', async () => {
    const project = join(mkdtempSync(join(tmpdir(), 'rfw-lock-')), 'p.rfw');
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], {
      stdio: 'ignore',
    });
    const otherExit = new Promise((done) => other.on('exit', done));
    writeFileSync(lockPathFor(project), String(other.pid));
    expect(() => acquireProjectLock(project)).toThrow(
      `is open in another workbench process (PID ${other.pid}); close it there first`,
    );
    other.kill('SIGKILL');
    await otherExit;
    const release = acquireProjectLock(project);
    expect(readFileSync(lockPathFor(project), 'utf8')).toBe(String(process.pid));
    release();
    expect(existsSync(lockPathFor(project))).toBe(false);
  });
});
