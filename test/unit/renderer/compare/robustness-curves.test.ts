import { describe, expect, it } from 'vitest';
import {
  comparedCurves,
  curveOptions,
  curvesTable,
  epsilonAxisTitle,
  everyCurveChoice,
  runsShown,
  runsWithout,
  worstCaseChoice,
} from '../../../../src-renderer/src/components/compare/robustness-curves';
import { evaluationRun } from './evaluation-fixture';

const names: Record<number, string> = { 1: 'standard CNN', 2: 'robust CNN' };
const modelName = (id: number) => names[id] ?? `model #${id}`;

const standard = evaluationRun(10, 1, {
  epsilons: [0, 0.1, 0.3],
  curves: [
    { attack: 'FGSM', method: 'fgsm', accuracy: [0.99, 0.4, 0.05] },
    { attack: 'PGD-40×1', method: 'pgd', accuracy: [0.99, 0.1, 0] },
  ],
  worstCase: [0.99, 0.08, 0],
});
const robust = evaluationRun(11, 2, {
  epsilons: [0, 0.2],
  curves: [{ attack: 'PGD-40×1', method: 'pgd', accuracy: [0.98, 0.9] }],
  worstCase: [0.98, 0.89],
});
const robustAgain = evaluationRun(12, 2, {
  epsilons: [0, 0.3],
  curves: [{ attack: 'Square-5000', method: 'square', accuracy: [0.98, 0.91] }],
  worstCase: [0.98, 0.9],
});

describe('curve options', () => {
  it('offers the worst case, each method with how many runs have it, and every curve', () => {
    const options = curveOptions([standard, robust]);
    expect(options.map((option) => option.value)).toEqual([
      worstCaseChoice,
      'fgsm',
      'pgd',
      everyCurveChoice,
    ]);
    expect(options[1]?.label).toBe('FGSM (1 of 2 runs)');
    expect(options[1]?.name).toBe('FGSM');
    expect(options[2]?.label).toBe('PGD');
  });
});

describe('compared curves', () => {
  it('draws each run’s worst case against its own ε, named by its model', () => {
    const curves = comparedCurves([standard, robust], worstCaseChoice, modelName);
    expect(curves.map((curve) => curve.label)).toEqual([
      'standard CNN · worst case',
      'robust CNN · worst case',
    ]);
    expect(curves[1]?.points).toEqual([
      { x: 0, y: 0.98 },
      { x: 0.2, y: 0.89 },
    ]);
    expect(curves[0]?.access).toBe('all');
  });

  it('picks one method’s curve from each run that has it and names the runs without it', () => {
    const curves = comparedCurves([standard, robust], 'fgsm', modelName);
    expect(curves.map((curve) => curve.label)).toEqual(['standard CNN · FGSM']);
    expect(curves[0]?.points.map((point) => point.y)).toEqual([0.99, 0.4, 0.05]);
    expect(runsWithout([standard, robust], 'fgsm')).toEqual([11]);
    expect(runsWithout([standard, robust], worstCaseChoice)).toEqual([]);
  });

  it('shows every curve and the worst case, one run after another', () => {
    const curves = comparedCurves([standard, robust], everyCurveChoice, modelName);
    expect(curves.map((curve) => `${curve.runId} ${curve.attack}`)).toEqual([
      '10 FGSM',
      '10 PGD-40×1',
      '10 worst case',
      '11 PGD-40×1',
      '11 worst case',
    ]);
  });

  it('adds the run to the legend when one model has several of the runs', () => {
    const curves = comparedCurves([standard, robust, robustAgain], worstCaseChoice, modelName);
    expect(curves.map((curve) => curve.label)).toEqual([
      'standard CNN · worst case',
      'robust CNN (run #11) · worst case',
      'robust CNN (run #12) · worst case',
    ]);
  });

  it('tells lines apart only among the runs the choice leaves on the chart', () => {
    const runs = [standard, robust, robustAgain];
    expect(runsShown(runs, 'pgd').map((run) => run.runId)).toEqual([10, 11]);
    const curves = comparedCurves(runs, 'pgd', modelName);
    expect(curves.map((curve) => curve.label)).toEqual([
      'standard CNN · PGD-40×1',
      'robust CNN · PGD-40×1',
    ]);
    expect(runsWithout(runs, 'pgd')).toEqual([12]);
  });

  it('adds the norm to the legend and the axis when L∞ and L2 runs are mixed', () => {
    const l2 = evaluationRun(13, 1, {
      constraint: 'l2',
      epsilons: [0, 1],
      curves: [{ attack: 'PGD-40×1', method: 'pgd', accuracy: [0.99, 0.2] }],
      worstCase: [0.99, 0.2],
    });
    const curves = comparedCurves([robust, l2], worstCaseChoice, modelName);
    expect(curves.map((curve) => curve.label)).toEqual([
      'robust CNN · L∞ · worst case',
      'standard CNN · L2 · worst case',
    ]);
    expect(epsilonAxisTitle([robust, l2])).toBe('ε (L2 and L∞: different scales)');
    expect(epsilonAxisTitle([robust])).toBe('ε (L∞)');
  });
});

describe('curves table', () => {
  it('has one row per curve and ε in long format', () => {
    const table = curvesTable(comparedCurves([standard, robust], 'pgd', modelName));
    expect(table.header).toEqual([
      'run_id',
      'model_id',
      'model',
      'constraint',
      'examples',
      'attack',
      'access',
      'epsilon',
      'robust_accuracy',
    ]);
    expect(table.rows).toHaveLength(3 + 2);
    expect(table.rows[1]).toEqual([
      10,
      1,
      'standard CNN',
      'linf',
      100,
      'PGD-40×1',
      'white-box',
      0.1,
      0.1,
    ]);
    expect(table.rows[4]).toEqual([
      11,
      2,
      'robust CNN',
      'linf',
      100,
      'PGD-40×1',
      'white-box',
      0.2,
      0.9,
    ]);
  });
});
