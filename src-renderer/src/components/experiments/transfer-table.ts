/**
 * A transfer experiment's matrix as CSV rows, one per (source, target) pair, with the same
 * columns as the Experiments view's export of it. Self-contained like robustness-curves.ts.
 */

/** The parts of a TransferResult (common/experiment-schemas.ts) read here. */
export interface ComparedTransfer {
  modelIds: readonly number[];
  /** Per model, on the attacked images. */
  cleanAccuracy: readonly number[];
  /** successRate[i][j]: crafted on model i, evaluated on model j; null: j got none right. */
  successRate: readonly (readonly (number | null)[])[];
}

export function transferTable(
  result: ComparedTransfer,
  modelName: (modelId: number) => string,
): { header: readonly string[]; rows: readonly (readonly (string | number)[])[] } {
  const header = [
    'craftedOnModelId',
    'craftedOnModel',
    'evaluatedOnModelId',
    'evaluatedOnModel',
    'successRate',
    'evaluatedOnCleanAccuracy',
  ];
  const rows = result.modelIds.flatMap((source, i) =>
    result.modelIds.map((target, j) => [
      source,
      modelName(source),
      target,
      modelName(target),
      result.successRate[i]?.[j] ?? Number.NaN,
      result.cleanAccuracy[j] ?? Number.NaN,
    ]),
  );
  return { header, rows };
}
