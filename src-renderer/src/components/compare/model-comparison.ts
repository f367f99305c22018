/**
 * Models side by side: how each was trained, its test accuracy and size, and — from its
 * evaluation runs — its worst-case robust accuracy at each ε any of the compared models was
 * evaluated at. Self-contained like robustness-curves.ts (the unit tests load it directly).
 */
import { normLabels, type ComparedEvaluation, type EvaluationNorm } from './robustness-curves';

/** The parts of a ModelSummary (common/model-schemas.ts) read here. */
export interface ComparedModel {
  id: number;
  name: string;
  architecture: string;
  datasetId: number;
  robust: boolean;
  parameterCount: number;
  /**
   * Accuracy on the test split, measured at the end of training or at import; null when not
   * measured (a dataset without test images, or an import made before imports measured it).
   */
  testAccuracy: number | null;
}

/** What the model's training run config says about its threat model (null: not known). */
export interface TrainingThreat {
  /** 'linf', 'l2' or 'unconstrained'. */
  constraint: string;
  epsilon: number;
  /** 'pgd' (Madry et al.) or 'trades' (Zhang et al.). */
  loss: string;
}

/** One evaluation of a model, with the attacks whose worst case it reports. */
export interface ModelEvaluation extends ComparedEvaluation {
  attacks: readonly string[];
}

/** A column of worst-case robust accuracy: one norm and one ε. */
export interface EpsilonColumn {
  key: string;
  constraint: EvaluationNorm;
  epsilon: number;
  label: string;
}

/** Where a worst-case figure comes from. */
export interface WorstCaseCell {
  accuracy: number;
  runId: number;
  examples: number;
  attacks: readonly string[];
}

export interface ModelRow {
  model: ComparedModel;
  dataset: string;
  training: string;
  threat: TrainingThreat | null;
  /** One per column; null where no evaluation of this model measured that ε. */
  cells: (WorstCaseCell | null)[];
}

const constraintLabels: Record<string, string> = { ...normLabels, unconstrained: 'box only' };

/**
 * ε as a key: the same value typed twice into two forms is the same ε, but 0.1 + 0.2 style
 * noise must not split a column, so keys keep 12 significant digits.
 */
function epsilonKey(constraint: EvaluationNorm, epsilon: number): string {
  return `${constraint}:${Number(epsilon.toPrecision(12))}`;
}

/** Every (norm, ε) the evaluations measured: L∞ before L2, ε ascending. */
export function epsilonColumns(evaluations: readonly ComparedEvaluation[]): EpsilonColumn[] {
  const columns = new Map<string, EpsilonColumn>();
  for (const evaluation of evaluations) {
    const constraint = evaluation.config.constraint;
    for (const epsilon of evaluation.result.epsilons) {
      const key = epsilonKey(constraint, epsilon);
      if (columns.has(key)) continue;
      const label = `${normLabels[constraint]} ε = ${Number(epsilon.toPrecision(4))}`;
      columns.set(key, { key, constraint, epsilon, label });
    }
  }
  const normRank = (norm: EvaluationNorm) => (norm === 'linf' ? 0 : 1);
  return [...columns.values()].sort(
    (a, b) => normRank(a.constraint) - normRank(b.constraint) || a.epsilon - b.epsilon,
  );
}

/**
 * Per column, the worst case from the newest of the model's evaluations (highest run id) that
 * measured that ε; older ones fill only the ε the newer ones did not measure.
 */
export function worstCaseCells(
  evaluations: readonly ModelEvaluation[],
  columns: readonly EpsilonColumn[],
): (WorstCaseCell | null)[] {
  const newestFirst = [...evaluations].sort((a, b) => b.runId - a.runId);
  return columns.map((column) => {
    for (const evaluation of newestFirst) {
      if (evaluation.config.constraint !== column.constraint) continue;
      const e = evaluation.result.epsilons.findIndex(
        (epsilon) => epsilonKey(column.constraint, epsilon) === column.key,
      );
      const accuracy = evaluation.result.worstCase[e];
      if (e === -1 || accuracy === undefined) continue;
      return {
        accuracy,
        runId: evaluation.runId,
        examples: evaluation.result.examples,
        attacks: evaluation.attacks,
      };
    }
    return null;
  });
}

/**
 * Made elsewhere and imported (a TensorFlow.js layers model or an ONNX file): the project does
 * not know how it was trained, so it is neither "standard" nor "robust" here.
 */
export function isImported(model: ComparedModel): boolean {
  return model.architecture === 'tfjs-layers' || model.architecture === 'onnx';
}

/** "standard", "robust: L∞ ε = 0.3, PGD", "robust" (settings unknown), "imported". */
export function trainingLabel(model: ComparedModel, threat: TrainingThreat | null): string {
  if (isImported(model)) return 'imported';
  if (!model.robust) return 'standard';
  if (threat === null) return 'robust';
  const norm = constraintLabels[threat.constraint] ?? threat.constraint;
  const loss = threat.loss === 'trades' ? 'TRADES' : 'PGD';
  return `robust: ${norm} ε = ${Number(threat.epsilon.toPrecision(4))}, ${loss}`;
}

/** The table's rows, in the order the models are given. */
export function modelRows(
  models: readonly ComparedModel[],
  columns: readonly EpsilonColumn[],
  details: {
    dataset(datasetId: number): string;
    threat(model: ComparedModel): TrainingThreat | null;
    evaluations(modelId: number): readonly ModelEvaluation[];
  },
): ModelRow[] {
  return models.map((model) => {
    const threat = details.threat(model);
    return {
      model,
      dataset: details.dataset(model.datasetId),
      training: trainingLabel(model, threat),
      threat: model.robust ? threat : null,
      cells: worstCaseCells(details.evaluations(model.id), columns),
    };
  });
}

/** The table as CSV rows: one per model, the worst case per column, the runs it came from. */
export function modelTable(
  rows: readonly ModelRow[],
  columns: readonly EpsilonColumn[],
): { header: readonly string[]; rows: readonly (readonly (string | number)[])[] } {
  const header = [
    'model_id',
    'model',
    'architecture',
    'dataset',
    'robust',
    'training_constraint',
    'training_epsilon',
    'training_loss',
    'test_accuracy',
    'parameters',
    ...columns.map((column) => `worst_case_${column.constraint}_eps_${column.epsilon}`),
    'evaluation_runs',
  ];
  const body = rows.map((row) => {
    const runs = [...new Set(row.cells.flatMap((cell) => (cell ? [cell.runId] : [])))];
    return [
      row.model.id,
      row.model.name,
      row.model.architecture,
      row.dataset,
      isImported(row.model) ? 'unknown' : row.model.robust ? 'yes' : 'no',
      row.threat?.constraint ?? '',
      row.threat?.epsilon ?? '',
      row.threat?.loss ?? '',
      row.model.testAccuracy ?? '',
      row.model.parameterCount,
      ...row.cells.map((cell) => cell?.accuracy ?? ''),
      runs.sort((a, b) => a - b).join(' '),
    ];
  });
  return { header, rows: body };
}
