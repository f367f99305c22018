/**
 * A bad RFW_* value stops a shell at start with a message that names the variable and what it
 * accepts (issue 14 item 3), instead of being ignored: RFW_KERNEL_THREADS=abc or 0 used to fall
 * back to the default without a word. Runs the built CLI and browser shell.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { builtCli, requireBuiltCli } from '../cli-process';

const run = promisify(execFile);

async function start(
  script: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const home = mkdtempSync(join(tmpdir(), 'rfw-env-'));
  try {
    const { stdout, stderr } = await run(process.execPath, [script, ...args], {
      env: { ...process.env, RFW_HOME: home, ...env },
      timeout: 20_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('environment settings at start', { timeout: 60_000 }, () => {
  it.each([
    ['abc', 'RFW_KERNEL_THREADS="abc"'],
    ['0', 'RFW_KERNEL_THREADS="0"'],
  ])('rfw refuses RFW_KERNEL_THREADS=%s, naming it and what it accepts', async (value, quoted) => {
    requireBuiltCli();
    const home = mkdtempSync(join(tmpdir(), 'rfw-env-project-'));
    const result = await start(builtCli, ['list', '--project', join(home, 'p.rfw')], {
      RFW_KERNEL_THREADS: value,
    });
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: `error: ${quoted} is not valid: use a whole number of threads from 1 to 1024, or leave it unset\n`,
    });
  });

  it('rfw runs with a good value', async () => {
    const result = await start(builtCli, ['help'], {
      RFW_KERNEL_THREADS: '2',
      RFW_NATIVE_KERNELS: 'on',
    });
    expect(result.code).toBe(0);
  });

  it('the browser shell refuses RFW_NATIVE_KERNELS=no before it serves anything', async () => {
    const result = await start(resolve('out/main/browser-shell.js'), ['--no-open'], {
      RFW_NATIVE_KERNELS: 'no',
    });
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: 'RFW_NATIVE_KERNELS="no" is not valid: use on or off, or leave it unset\n',
    });
  });
});
