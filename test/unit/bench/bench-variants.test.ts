/**
 * The bench's plan, without running it: which engine variants a backend gets, what the command
 * line turns into, and the footnotes under the table. The measurements themselves are too slow
 * for a unit test (`npm run bench`).
 */
import { describe, expect, it } from 'vitest';
import { parseOptions } from '../../../bench/bench-options';
import { variantName, variantsOf } from '../../../bench/engine-variants';
import { formatFootnotes, formatTable, type ResultRow } from '../../../bench/report';

function row(overrides: Partial<ResultRow>): ResultRow {
  return {
    workload: 'W1',
    engine: 'rfw wasm+native',
    seconds: 1,
    rate: 2560,
    rateUnit: 'ex-steps/s',
    ratioToTorch: null,
    method: 'measured',
    note: '',
    kernelThreads: 2,
    engineWorkers: null,
    nativeKernels: null,
    ...overrides,
  };
}

describe('engine variants', () => {
  it('runs wasm and cpu with native kernels first, then with their own alone', () => {
    expect(variantsOf('wasm', true)).toEqual([
      { backend: 'wasm', nativeKernels: true },
      { backend: 'wasm', nativeKernels: false },
    ]);
    expect(variantsOf('cpu', false)).toEqual([{ backend: 'cpu', nativeKernels: true }]);
  });

  it('gives the TensorFlow backends one variant, whatever --no-pure says', () => {
    expect(variantsOf('tensorflow', true)).toEqual([
      { backend: 'tensorflow', nativeKernels: null },
    ]);
  });

  it('names the native variant so it cannot be mistaken for the pure one', () => {
    expect(variantName('wasm', true)).toBe('wasm+native');
    expect(variantName('wasm', false)).toBe('wasm');
    expect(variantName('tensorflow', null)).toBe('tensorflow');
  });
});

describe('bench options', () => {
  it('runs every variant unless --no-pure', () => {
    expect(parseOptions([]).pure).toBe(true);
    expect(parseOptions(['--no-pure']).pure).toBe(false);
  });

  it('keeps --backends and the --quick defaults', () => {
    expect(parseOptions(['--quick']).backends).toEqual(['wasm']);
    expect(parseOptions(['--quick', '--backends', 'wasm, cpu']).backends).toEqual(['wasm', 'cpu']);
    expect(parseOptions(['--backends', 'cpu']).repeats).toBe(3);
  });

  it('refuses unknown flags and nonsense numbers', () => {
    expect(() => parseOptions(['--pure'])).toThrow(/unknown option --pure/);
    expect(() => parseOptions(['--repeats', '0'])).toThrow(/--repeats/);
    expect(() => parseOptions(['--repeats', '1.5'])).toThrow(/whole number/);
    expect(() => parseOptions(['--budget', 'x'])).toThrow(/--budget/);
  });
});

describe('report', () => {
  it('prints each native detail once and explains job rows when there are any', () => {
    const detail = 'Conv2D in C on OpenBLAS (Haswell core), up to 2 threads';
    const rows = [
      row({ nativeKernels: detail }),
      row({ workload: 'W2', nativeKernels: detail }),
      row({ engine: 'rfw wasm', kernelThreads: 1 }),
    ];
    expect(formatFootnotes(rows)).toBe(`native kernels: ${detail}`);
    const withJob = [...rows, row({ engine: 'rfw job (wasm+native, pool 2)', engineWorkers: 2 })];
    expect(formatFootnotes(withJob).split('\n')).toHaveLength(2);
  });

  it('shows failed rows without a figure', () => {
    const table = formatTable([
      row({ method: 'failed', seconds: null, rate: null, note: 'failed: out of memory' }),
    ]);
    expect(table).toContain('failed: out of memory');
    expect(table.split('\n')[2]).toMatch(/│ — +│ — +│/);
  });
});
