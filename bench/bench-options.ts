/**
 * The bench's command line, as data (written into the JSON next to the results, so a figure can
 * always be traced to the options that produced it).
 */
import { BackendName } from '../src-main/common/backend-schemas';
import { backendCandidates } from '../src-main/engine/backend/backend-candidates';

export interface BenchOptions {
  /** One repeat, a 5 s budget, fewer job steps, wasm only unless --backends says otherwise. */
  quick: boolean;
  /** Backends the engine rows try, in this order. */
  backends: BackendName[];
  /** Full runs per figure; the median is reported. */
  repeats: number;
  /** Wall seconds one workload's repeats may take before the figure is extrapolated. */
  budgetSeconds: number;
  /**
   * Also run wasm and cpu with their own kernels alone (the "before" rows); --no-pure skips
   * them, which saves most of a full run's time (the pure cpu backend takes minutes).
   */
  pure: boolean;
  /** Run bench/torch_reference.py for the ratio column. */
  torch: boolean;
  /** Time the workbench's own jobs through the job runner. */
  jobs: boolean;
}

const knownFlags = [
  '--quick',
  '--backends',
  '--repeats',
  '--budget',
  '--no-pure',
  '--no-torch',
  '--no-jobs',
] as const;

function positiveNumber(flag: string, text: string, integer: boolean): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new Error(`${flag} takes a positive ${integer ? 'whole number' : 'number'}`);
  }
  return value;
}

export function parseOptions(argv: readonly string[]): BenchOptions {
  const valueOf = (flag: string): string | undefined => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  for (const arg of argv) {
    if (arg.startsWith('--') && !(knownFlags as readonly string[]).includes(arg)) {
      throw new Error(`unknown option ${arg}; known: ${knownFlags.join(' ')}`);
    }
  }
  const quick = argv.includes('--quick');
  const backendsText = valueOf('--backends');
  const backends = backendsText
    ? backendsText.split(',').map((name) => BackendName.parse(name.trim()))
    : quick
      ? (['wasm'] as BackendName[])
      : backendCandidates.map((c) => c.name);
  const repeatsText = valueOf('--repeats');
  const budgetText = valueOf('--budget');
  return {
    quick,
    backends,
    repeats:
      repeatsText === undefined ? (quick ? 1 : 3) : positiveNumber('--repeats', repeatsText, true),
    budgetSeconds:
      budgetText === undefined ? (quick ? 5 : 150) : positiveNumber('--budget', budgetText, false),
    pure: !argv.includes('--no-pure'),
    torch: !argv.includes('--no-torch'),
    jobs: !argv.includes('--no-jobs'),
  };
}
