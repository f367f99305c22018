import { describe, expect, it } from 'vitest';
import type { TransferResult } from '../../../src-main/common/experiment-schemas';
import { transferTable } from '../../../src-renderer/src/components/experiments/transfer-table';

describe('transfer table', () => {
  it('has one row per (source, target) pair with the target’s clean accuracy', () => {
    const result: TransferResult = {
      type: 'transfer',
      modelIds: [4, 7],
      cleanAccuracy: [0.99, 0.97],
      successRate: [
        [1, 0.6],
        [0.2, 0.9],
      ],
    };
    const table = transferTable(result, (id) => `model ${id}`);
    expect(table.header[0]).toBe('craftedOnModelId');
    expect(table.rows).toEqual([
      [4, 'model 4', 4, 'model 4', 1, 0.99],
      [4, 'model 4', 7, 'model 7', 0.6, 0.97],
      [7, 'model 7', 4, 'model 4', 0.2, 0.99],
      [7, 'model 7', 7, 'model 7', 0.9, 0.97],
    ]);
  });
});
