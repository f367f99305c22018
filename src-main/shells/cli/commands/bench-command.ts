/**
 * `rfw bench [bench options]`: the engine benchmark (bench/bench-main.ts, built next to the CLI
 * as out/main/bench.js) in a child process, so its backends and workers start clean. Needs no
 * project. Its options pass through unchanged; see `npm run bench`.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CliCommand } from '../cli-session';

export const benchCommand: CliCommand = {
  name: 'bench',
  usage:
    '[--quick] [--backends wasm,cpu] [--repeats N] [--budget SECONDS] [--no-pure] [--no-torch] [--no-jobs]   (no --project)',
  opensProject: false,
  needsProject: false,
  run(session) {
    const script = join(__dirname, 'bench.js');
    if (!existsSync(script)) throw new Error(`${script} is missing: run \`npm run build\` first`);
    return new Promise((resolveCode, reject) => {
      const child = spawn(process.execPath, [script, ...session.rawOptions], { stdio: 'inherit' });
      child.on('error', reject);
      child.on('exit', (code) => resolveCode(code ?? 1));
    });
  },
};
