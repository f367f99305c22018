/**
 * Debian's Python (/usr/bin/python3, with python3-numpy and python3-torch) as an independent
 * oracle for tests. Where a module is missing, the test that needs it is skipped and says why.
 */
import { spawnSync } from 'node:child_process';

export const python = '/usr/bin/python3';

/** Null when /usr/bin/python3 imports every module, else the reason (printed once here). */
export function missingPythonModules(modules: string[]): string | null {
  const probe = spawnSync(python, ['-c', `import ${modules.join(', ')}`], { encoding: 'utf8' });
  if (probe.status === 0) return null;
  const reason = `${python} cannot import ${modules.join(' and ')} (${(probe.stderr || probe.error?.message || '').trim().split('\n').pop() ?? ''})`;
  console.log(`PyTorch/NumPy check skipped: ${reason}`);
  return reason;
}

/** Runs a Python script under test/ and parses the one JSON document it prints. */
export function runPythonJson<T>(script: string, args: string[]): T {
  const run = spawnSync(python, [script, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.status !== 0) {
    throw new Error(`${script} failed (${run.status}): ${run.stderr || run.error?.message}`);
  }
  return JSON.parse(run.stdout) as T;
}
