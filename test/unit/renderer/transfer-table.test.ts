import { describe, expect, it } from 'vitest';
import type { TransferResult } from '../../../src-main/common/experiment-schemas';
import { wilsonInterval } from '../../../src-main/common/proportion';
import { transferTable } from '../../../src-renderer/src/components/experiments/transfer-table';

describe('transfer table', () => {
  // 100 images attacked; model 4 gets 99 right, model 7 gets 97.
  const result: TransferResult = {
    type: 'transfer',
    modelIds: [4, 7],
    cleanAccuracy: [0.99, 0.97],
    successRate: [
      [1, 58 / 97],
      [20 / 99, 0.9072164948453608],
    ],
    images: 100,
  };

  it('has one row per (source, target) pair with its k of n and the target’s clean accuracy', () => {
    const table = transferTable(result, (id) => `model ${id}`);
    expect(table.header).toEqual([
      'craftedOnModelId',
      'craftedOnModel',
      'evaluatedOnModelId',
      'evaluatedOnModel',
      'successRate',
      'imagesFooled',
      'imagesCounted',
      'successRateCi95Low',
      'successRateCi95High',
      'evaluatedOnCleanAccuracy',
    ]);
    const counts = table.rows.map((row) => [row[0], row[2], row[5], row[6]]);
    expect(counts).toEqual([
      [4, 4, 99, 99],
      [4, 7, 58, 97],
      [7, 4, 20, 99],
      [7, 7, 88, 97],
    ]);
    const second = table.rows[1] ?? [];
    const interval = wilsonInterval({ count: 58, of: 97 });
    expect(second[7]).toBe(interval.low);
    expect(second[8]).toBe(interval.high);
    expect(second[9]).toBe(0.97);
  });

  it('leaves the counts empty for a result stored before it recorded its images', () => {
    const { images: _, ...old } = result;
    const table = transferTable(old, (id) => `model ${id}`);
    expect(table.rows[1]?.slice(4, 9)).toEqual([58 / 97, '', '', '', '']);
  });
});
