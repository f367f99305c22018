/** Starts and stops the real browser shell (out/main/browser-shell.js) for end-to-end tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export interface RunningShell {
  url: string;
  process: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/** `args`: more options for the shell, e.g. `['--port', '41234']` to restart on the same port. */
export function startShell(home: string, args: readonly string[] = []): Promise<RunningShell> {
  const child = spawn(
    process.execPath,
    [resolve('out/main/browser-shell.js'), '--no-open', ...args],
    {
      env: { ...process.env, RFW_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  return new Promise((resolveShell, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the browser shell did not start:\n${output}`)),
      30_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveShell({
          url: match[1],
          process: child,
          output: () => output,
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) =>
      reject(new Error(`the browser shell exited (${code}):\n${output}`)),
    );
  });
}
