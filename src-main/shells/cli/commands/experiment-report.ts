/** An experiment's stored result as lines of text for the terminal. */
import {
  legacyTargetDraw,
  targetDrawNames,
  type ExperimentConfig,
  type ExperimentResult,
} from '../../../common/experiment-schemas';
import { orderingSentence, recipeNote, robustCurves } from '../../../common/robust-datasets-curves';
import { resultWarnings } from '../../../common/experiment-warnings';
import { transferCell, transferColumnImages } from '../../../common/transfer-cells';

const percent = (value: number) => (Number.isFinite(value) ? `${(value * 100).toFixed(2)}%` : '—');

/** `config` reads the radius of a robust-datasets result stored before its curve. */
export function experimentReport(result: ExperimentResult, config?: ExperimentConfig): string[] {
  return [...figures(result, config), ...resultWarnings(result).map((w) => `warning: ${w}`)];
}

function figures(result: ExperimentResult, config?: ExperimentConfig): string[] {
  switch (result.type) {
    case 'non-robust-features':
      return [
        `source model on the original test set: ${percent(result.sourceTestAccuracy)} (chance ${percent(result.chance)})`,
        ...(result.variants.some((v) => v.variant === 'random')
          ? [`D_rand targets: ${targetDrawNames[result.targetDraw ?? legacyTargetDraw]}`]
          : []),
        'dataset  images  attack success  mean ‖δ‖₂  train acc  test acc (original test set)',
        ...result.variants.map((v) =>
          [
            (v.variant === 'random' ? 'D_rand' : 'D_det').padEnd(7),
            String(v.count).padStart(7),
            percent(v.attackSuccessRate).padStart(15),
            v.meanPerturbationL2.toFixed(3).padStart(10),
            percent(v.trainAccuracy).padStart(10),
            `  ${percent(v.testAccuracy)}   (dataset ${v.datasetId}, model ${v.modelId})`,
          ].join(''),
        ),
        ...(result.detSweep && result.detSweep.length > 0
          ? [
              'D_det ε sweep:  ε  attack success  mean ‖δ‖₂  train acc  test acc (original test set)',
              ...result.detSweep.map((p) =>
                [
                  String(p.epsilon).padStart(16),
                  percent(p.attackSuccessRate).padStart(16),
                  p.meanPerturbationL2.toFixed(3).padStart(11),
                  percent(p.trainAccuracy).padStart(11),
                  `  ${percent(p.testAccuracy)}   (dataset ${p.datasetId}, model ${p.modelId})`,
                ].join(''),
              ),
            ]
          : []),
      ];
    case 'robust-datasets': {
      const names = { original: 'D   ', robust: 'D_R ', standard: 'D_NR' } as const;
      const curves = robustCurves(result, config?.type === 'robust-datasets' ? config : undefined);
      const point = (e: number) => (e === 0 ? 'clean' : Number.isNaN(e) ? 'robust' : `ε=${e}`);
      const ordering = orderingSentence(curves);
      return [
        `trained on  images  repr. distance  test acc ${curves.epsilons.map((e) => point(e).padStart(9)).join('')}`,
        ...result.rows.map(
          (row, r) =>
            `${names[row.dataset]}        ${String(row.count).padStart(6)}  ${(row.representationDistance === null ? '—' : row.representationDistance.toFixed(4)).padStart(14)} ${percent(row.testAccuracy).padStart(9)}${curves.epsilons.map((_, i) => percent(curves.rows[r]?.curve[i] ?? NaN).padStart(9)).join('')}   (model ${row.modelId}${row.datasetId === null ? '' : `, dataset ${row.datasetId}`})`,
        ),
        ...(ordering ? [ordering] : []),
        recipeNote,
      ];
    }
    case 'robustness-tradeoff':
      return [
        `train ε  test acc   ${result.evaluationEpsilons.map((e) => `ε=${e}`.padStart(9)).join('')}`,
        ...result.rows.map(
          (row) =>
            `${String(row.trainEpsilon).padEnd(8)} ${percent(row.testAccuracy).padStart(8)}  ${row.robustAccuracy
              .map((a) => percent(a).padStart(9))
              .join('')}   (model ${row.modelId})`,
        ),
      ];
    case 'data-efficiency':
      return [
        '   size  recipe    test acc  robust acc',
        ...result.rows.map(
          (row) =>
            `${String(row.size).padStart(7)}  ${row.recipe.padEnd(8)} ${percent(row.testAccuracy).padStart(9)} ${percent(row.robustAccuracy).padStart(11)}   (model ${row.modelId})`,
        ),
      ];
    case 'robust-gaussian':
      return [
        `dimension ${result.dimension}, λ ${result.lambda === null ? '∞' : result.lambda.toFixed(3)}; angle between w and w_r ${result.angleBetweenClassifiersDegrees.toFixed(1)}°`,
        'classifier  angle to μ  clean (closed form / simulated)  robust (closed form / simulated)',
        ...(['standard', 'robust'] as const).map((name) => {
          const report = result[name];
          return `${name.padEnd(10)}  ${report.angleToMeanDegrees.toFixed(1).padStart(9)}°  ${percent(report.cleanAccuracy.closedForm).padStart(10)} / ${percent(report.cleanAccuracy.simulated).padEnd(20)}  ${percent(report.robustAccuracy.closedForm).padStart(8)} / ${percent(report.robustAccuracy.simulated)}`;
        }),
      ];
    case 'tsipras-toy':
      return [
        `η ${result.weakFeatureMean.toFixed(4)}, ℓ∞ ε ${result.epsilon.toFixed(4)}`,
        'classifier  clean (closed form / simulated)  robust (closed form / simulated)',
        ...result.classifiers.map(
          (c) =>
            `${c.name.padEnd(10)}  ${percent(c.cleanAccuracy.closedForm).padStart(10)} / ${percent(c.cleanAccuracy.simulated).padEnd(20)}  ${percent(c.robustAccuracy.closedForm).padStart(8)} / ${percent(c.robustAccuracy.simulated)}`,
        ),
      ];
    case 'transfer': {
      // A cell: the rate and its k/n (n: the images the column's model classifies correctly).
      const cellText = (i: number, j: number) => {
        const rate = result.successRate[i]?.[j] ?? null;
        if (rate === null) return 'n/a';
        const counted = transferCell(result, i, j);
        return counted === null
          ? percent(rate)
          : `${percent(rate)} (${counted.count}/${counted.of})`;
      };
      return [
        'success rate, rows: crafted on; columns: evaluated on; in brackets: images fooled / images the evaluated model classifies correctly',
        `          ${result.modelIds.map((id) => `model ${id}`.padStart(22)).join('')}`,
        ...result.successRate.map(
          (row, i) =>
            `model ${String(result.modelIds[i]).padEnd(4)}${row.map((_, j) => cellText(i, j).padStart(22)).join('')}`,
        ),
        `clean     ${result.cleanAccuracy
          .map((v, j) => {
            const right = transferColumnImages(result, j);
            return (
              right === null ? percent(v) : `${percent(v)} (${right}/${result.images})`
            ).padStart(22);
          })
          .join('')}`,
      ];
    }
  }
}
