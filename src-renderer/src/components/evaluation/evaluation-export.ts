/** The evaluation on screen as files: CSV of the curves (long format) and JSON as stored. */
import type { EvaluationRun } from '@common/evaluation-schemas';
import { downloadText } from '../../lib/export';

/** One row per (attack, ε): attack, access, epsilon, robust accuracy; the worst case last. */
export function evaluationCsv({ result }: EvaluationRun): string {
  const rows: string[] = [];
  for (const curve of result.curves) {
    result.epsilons.forEach((epsilon, e) =>
      rows.push(
        [JSON.stringify(curve.attack), curve.access, epsilon, curve.accuracy[e] ?? ''].join(','),
      ),
    );
  }
  result.epsilons.forEach((epsilon, e) =>
    rows.push(['"worst case"', 'all', epsilon, result.worstCase[e] ?? ''].join(',')),
  );
  return ['attack,access,epsilon,robust_accuracy', ...rows].join('\n') + '\n';
}

export function exportEvaluationCsv(run: EvaluationRun): void {
  downloadText(`evaluation-run-${run.runId}.csv`, evaluationCsv(run), 'text/csv');
}

export function exportEvaluationJson(run: EvaluationRun): void {
  downloadText(
    `evaluation-run-${run.runId}.json`,
    JSON.stringify(run, null, 2),
    'application/json',
  );
}
