import { describe, expect, it } from 'vitest';
import type { ModelSummary } from '../../../../src-main/common/model-schemas';
import {
  epsilonColumns,
  modelRows,
  modelTable,
  trainingLabel,
  worstCaseCells,
  type ModelEvaluation,
} from '../../../../src-renderer/src/components/compare/model-comparison';
import { evaluationRun, type FixtureCurve } from './evaluation-fixture';

function model(
  id: number,
  robust: boolean,
  architecture: ModelSummary['architecture'] = 'small-cnn',
): ModelSummary {
  return {
    id,
    name: robust ? 'robust CNN' : 'standard CNN',
    architecture,
    datasetId: 1,
    trainingRunId: id + 100,
    robust,
    createdAt: '2025-01-01T00:00:00Z',
    parameterCount: 1234,
    testAccuracy: robust ? 0.97 : 0.99,
  };
}

const pgd: FixtureCurve = { attack: 'PGD-40×1', method: 'pgd', accuracy: [] };

function evaluation(
  runId: number,
  modelId: number,
  epsilons: number[],
  worstCase: number[],
  constraint: 'linf' | 'l2' = 'linf',
): ModelEvaluation {
  const run = evaluationRun(runId, modelId, {
    constraint,
    epsilons,
    curves: [{ ...pgd, accuracy: worstCase }],
    worstCase,
  });
  return { ...run, attacks: ['PGD-40×1'] };
}

describe('epsilon columns', () => {
  it('lists every (norm, ε) once, L∞ first, ε ascending, without float noise splitting one', () => {
    const columns = epsilonColumns([
      evaluation(1, 1, [0, 0.3], [0.9, 0.1]),
      evaluation(2, 2, [0, 0.1 + 0.2, 0.1], [0.9, 0.5, 0.7]),
      evaluation(3, 2, [0, 1], [0.9, 0.4], 'l2'),
    ]);
    expect(columns.map((column) => column.label)).toEqual([
      'L∞ ε = 0',
      'L∞ ε = 0.1',
      'L∞ ε = 0.3',
      'L2 ε = 0',
      'L2 ε = 1',
    ]);
  });
});

describe('worst-case cells', () => {
  it('takes each ε from the newest evaluation that measured it and leaves the rest empty', () => {
    const older = evaluation(5, 1, [0, 0.1, 0.2], [0.99, 0.5, 0.2]);
    const newer = evaluation(8, 1, [0, 0.1], [0.98, 0.45]);
    const columns = epsilonColumns([older, newer, evaluation(9, 2, [0, 0.3], [0.9, 0.8])]);
    const cells = worstCaseCells([older, newer], columns);
    expect(cells.map((cell) => cell && [cell.runId, cell.accuracy])).toEqual([
      [8, 0.98],
      [8, 0.45],
      [5, 0.2],
      null,
    ]);
    expect(cells[0]?.attacks).toEqual(['PGD-40×1']);
  });

  it('does not read an L2 evaluation into an L∞ column', () => {
    const l2 = evaluation(4, 1, [0, 0.3], [0.9, 0.6], 'l2');
    const columns = epsilonColumns([evaluation(3, 2, [0.3], [0.5])]);
    expect(worstCaseCells([l2], columns)).toEqual([null]);
  });
});

describe('training label', () => {
  it('says how the model was trained', () => {
    const threat = { constraint: 'linf', epsilon: 0.3, loss: 'pgd' };
    expect(trainingLabel(model(1, false), null)).toBe('standard');
    expect(trainingLabel(model(2, true), threat)).toBe('robust: L∞ ε = 0.3, PGD');
    expect(trainingLabel(model(2, true), { ...threat, constraint: 'l2', loss: 'trades' })).toBe(
      'robust: L2 ε = 0.3, TRADES',
    );
    expect(trainingLabel(model(2, true), null)).toBe('robust');
    expect(trainingLabel(model(3, false, 'tfjs-layers'), null)).toBe('imported');
    // An ONNX file says nothing of its training: not "standard", even when it was PGD-trained.
    expect(trainingLabel(model(4, false, 'onnx'), null)).toBe('imported');
  });
});

describe('model rows and their CSV', () => {
  it('puts each model’s training, size and worst case per column in one row', () => {
    const standard = model(1, false);
    const robust = model(2, true);
    const evaluations: Record<number, ModelEvaluation[]> = {
      1: [evaluation(7, 1, [0, 0.3], [0.99, 0])],
      2: [evaluation(6, 2, [0, 0.1], [0.97, 0.9])],
    };
    const columns = epsilonColumns([...(evaluations[1] ?? []), ...(evaluations[2] ?? [])]);
    const rows = modelRows([standard, robust], columns, {
      dataset: () => 'MNIST',
      threat: (m) => (m.robust ? { constraint: 'linf', epsilon: 0.3, loss: 'pgd' } : null),
      evaluations: (id) => evaluations[id] ?? [],
    });
    expect(rows.map((row) => row.training)).toEqual(['standard', 'robust: L∞ ε = 0.3, PGD']);
    const table = modelTable(rows, columns);
    expect(table.header.slice(-4)).toEqual([
      'worst_case_linf_eps_0',
      'worst_case_linf_eps_0.1',
      'worst_case_linf_eps_0.3',
      'evaluation_runs',
    ]);
    expect(table.rows[0]).toEqual([
      1,
      'standard CNN',
      'small-cnn',
      'MNIST',
      'no',
      '',
      '',
      '',
      0.99,
      1234,
      0.99,
      '',
      0,
      '7',
    ]);
    expect(table.rows[1]).toEqual([
      2,
      'robust CNN',
      'small-cnn',
      'MNIST',
      'yes',
      'linf',
      0.3,
      'pgd',
      0.97,
      1234,
      0.97,
      0.9,
      '',
      '6',
    ]);
  });

  it('says an imported model’s robustness is unknown, not "no"', () => {
    const rows = modelRows([model(5, false, 'onnx')], [], {
      dataset: () => 'Fashion-MNIST',
      threat: () => null,
      evaluations: () => [],
    });
    expect(rows[0]?.training).toBe('imported');
    expect(modelTable(rows, []).rows[0]?.[4]).toBe('unknown');
  });
});
