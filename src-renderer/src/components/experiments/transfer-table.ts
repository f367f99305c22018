/**
 * A transfer experiment's matrix as CSV rows, one per (source, target) pair, with the same
 * columns as the Experiments view's export of it, and each rate's k of n where the result
 * recorded how many images it attacked (empty cells where it did not).
 */
import type { TransferResult } from '@common/experiment-schemas';
import { wilsonInterval } from '@common/proportion';
import { transferCell } from '@common/transfer-cells';

export function transferTable(
  result: TransferResult,
  modelName: (modelId: number) => string,
): { header: readonly string[]; rows: readonly (readonly (string | number)[])[] } {
  const header = [
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
  ];
  const rows = result.modelIds.flatMap((source, i) =>
    result.modelIds.map((target, j) => {
      const counted = transferCell(result, i, j);
      const interval = counted === null ? null : wilsonInterval(counted);
      return [
        source,
        modelName(source),
        target,
        modelName(target),
        result.successRate[i]?.[j] ?? Number.NaN,
        counted?.count ?? '',
        counted?.of ?? '',
        interval?.low ?? '',
        interval?.high ?? '',
        result.cleanAccuracy[j] ?? Number.NaN,
      ];
    }),
  );
  return { header, rows };
}
