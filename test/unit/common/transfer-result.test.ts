import { describe, expect, it } from 'vitest';
import { TransferResult } from '../../../src-main/common/experiment-schemas';
import { experimentReport } from '../../../src-main/shells/cli/commands/experiment-report';

/**
 * A transfer cell whose target model classifies none of the attacked images correctly has no
 * rate (0 of 0). It was NaN, which JSON stores as null, so the stored result failed its own
 * schema when read back and `rfw experiment transfer` exited 2 after a completed run.
 */
describe('a transfer matrix with an undefined cell', () => {
  const result = {
    type: 'transfer' as const,
    modelIds: [1, 2],
    cleanAccuracy: [0.9, 0],
    successRate: [
      [1, null],
      [0.25, null],
    ],
  };

  it('reads back from its stored JSON', () => {
    const stored = JSON.parse(JSON.stringify(result)) as unknown;
    expect(TransferResult.parse(stored)).toEqual(result);
  });

  it('prints the cell as n/a, not as a rate', () => {
    const lines = experimentReport(result);
    expect(lines.find((line) => line.startsWith('model 1'))).toMatch(/100\.00%\s+n\/a$/);
    expect(lines.find((line) => line.startsWith('model 2'))).toMatch(/25\.00%\s+n\/a$/);
  });

  it('gives each rate its k of n where the result says how many images it attacked', () => {
    const lines = experimentReport({ ...result, images: 40 });
    // Model 1 classifies 0.9 · 40 = 36 images correctly; 25% of them is 9.
    expect(lines.find((line) => line.startsWith('model 1'))).toMatch(/100\.00% \(36\/36\)\s+n\/a$/);
    expect(lines.find((line) => line.startsWith('model 2'))).toMatch(/25\.00% \(9\/36\)\s+n\/a$/);
    expect(lines.find((line) => line.startsWith('clean'))).toMatch(
      /90\.00% \(36\/40\)\s+0\.00% \(0\/40\)$/,
    );
  });
});
