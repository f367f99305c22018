/**
 * Runs bench/torch_reference.py with Debian's Python (/usr/bin/python3) when it can import
 * torch, and parses its JSON. When it cannot, says in one line how to get it.
 */
import { spawnSync } from 'node:child_process';
import type { WorkloadName } from './workloads';

export const python = '/usr/bin/python3';
export const installHint =
  "PyTorch reference skipped: /usr/bin/python3 cannot import torch; install Debian's python3-torch and libopenblas0-pthread (apt-get install python3-torch libopenblas0-pthread)";

export interface TorchResults {
  torch: string;
  threads: number;
  workloads: Partial<Record<WorkloadName, { seconds: number; samples: number[] }>>;
  /** W5's exported model and images (with onnxDir). */
  w5?: { onnx: string; images: string; shape: [number, number, number, number] };
}

export function torchAvailable(): boolean {
  const probe = spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' });
  return probe.status === 0;
}

/** With onnxDir, also W5: the script exports its model and images there. */
export function runTorchReference(
  scriptPath: string,
  repeats: number,
  onnxDir?: string,
): TorchResults {
  const args = [scriptPath, '--repeats', String(repeats), '--threads', '2'];
  if (onnxDir !== undefined) args.push('--onnx-dir', onnxDir);
  const result = spawnSync(python, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (result.status !== 0) {
    throw new Error(`torch_reference.py failed (${result.status}): ${result.stderr.trim()}`);
  }
  const lastLine = result.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(lastLine) as TorchResults;
}

/** Our time / PyTorch's for the same workload; null where either is missing. */
export function ratio(
  seconds: number | null,
  torch: TorchResults | null,
  name: WorkloadName,
): number | null {
  const reference = torch?.workloads[name]?.seconds;
  return seconds === null || reference === undefined ? null : seconds / reference;
}
