/** Evaluation runs as the workbench stores them, small enough to read in a test. */
import type { EvaluationRun } from '../../../../src-main/common/evaluation-schemas';

export interface FixtureCurve {
  attack: string;
  method: 'fgsm' | 'pgd' | 'apgd-ce' | 'apgd-t' | 'square' | 'transfer';
  accuracy: number[];
}

export function evaluationRun(
  runId: number,
  modelId: number,
  options: {
    constraint?: 'linf' | 'l2';
    epsilons: number[];
    curves: FixtureCurve[];
    worstCase: number[];
    examples?: number;
  },
): EvaluationRun {
  return {
    runId,
    config: {
      modelId,
      datasetId: 1,
      count: options.examples ?? 100,
      constraint: options.constraint ?? 'linf',
      epsilons: options.epsilons,
      attacks: [{ method: 'fgsm' }],
      transferModelId: null,
      seed: 0,
    },
    result: {
      examples: options.examples ?? 100,
      numClasses: 10,
      cleanAccuracy: options.worstCase[0] ?? 0,
      epsilons: options.epsilons,
      curves: options.curves.map((curve) => ({
        ...curve,
        access:
          curve.method === 'square' || curve.method === 'transfer' ? 'black-box' : 'white-box',
      })),
      worstCase: options.worstCase,
      checks: [],
      skippedChecks: [],
      warnings: [],
    },
  };
}
