/**
 * The built CLI (out/main/cli.js, made by `npm run build`, which `npm test` runs first) in a
 * child process, for tests that need a real process: its exit code, its output, and a kill.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

export const builtCli = resolve('out/main/cli.js');

const run = promisify(execFile);

export function requireBuiltCli(): void {
  if (!existsSync(builtCli)) throw new Error(`${builtCli} is missing: run \`npm run build\` first`);
}

export interface CliRun {
  code: number;
  /** True when `timeoutMs` ran out and the process was killed. */
  killed: boolean;
  stdout: string;
  stderr: string;
}

/**
 * `rfw ARGS` with RFW_HOME = home. A timeout (0: none) turns a hang into a failed run instead of
 * a stalled test.
 */
export async function runCli(home: string, args: string[], timeoutMs = 0): Promise<CliRun> {
  try {
    const { stdout, stderr } = await run(process.execPath, [builtCli, ...args], {
      env: { ...process.env, RFW_HOME: home },
      timeout: timeoutMs,
      maxBuffer: 64 << 20,
    });
    return { code: 0, killed: false, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; killed?: boolean; stdout?: string; stderr?: string };
    return {
      code: typeof failed.code === 'number' ? failed.code : 1,
      killed: failed.killed ?? false,
      stdout: failed.stdout ?? '',
      stderr: failed.stderr ?? String(error),
    };
  }
}
