/**
 * The counterfactual view's figure, from the plain data counterfactual-compute.ts returns (its
 * shape is declared here, beside what reads it): a panel per editor with a row per image along
 * the path (scrubbed by its L2 change, each frame with every model's p(target)), the editor's
 * loss curve, and a table of each model's final belief.
 */
import type { CounterfactualConfig } from '../../../common/features-schemas';
import type { FeaturesJobResult } from '../../protocol';
import type { ClassPredictions } from '../class-predictions';
import type { FigureBuilder, ViewCaptions } from './feature-figure';
import type { EngineFeaturePanel } from './feature-summaries';
import type { PathFrame } from './path-frames';
import { pathRows } from './path-rows';

/** One model's edit. */
export interface CounterfactualEdit {
  modelId: number;
  name: string;
  /** The models read along the path, as positions in the view's models: the editor first. */
  readers: number[];
  /** The kept frames, each with p(target) per reader under "p(<target>) <reader's name>". */
  frames: PathFrame[];
  /** Each reader's belief at the end of the edit, in the order of `readers`. */
  final: ClassPredictions[];
  /** The editor's mean cross-entropy of the target at x⁰ … x^T. */
  loss: number[];
}

export interface CounterfactualData {
  /** [H,W,C] of one image. */
  imageShape: number[];
  edits: CounterfactualEdit[];
}

/** "#12 (3) → 8" per input image: its rows' captions and its live frames'. */
export function editCaptions(captions: ViewCaptions, count: number, targetClass: number): string[] {
  const target = captions.className(targetClass);
  return Array.from({ length: count }, (_, n) => `${captions.inputCaption(n)} → ${target}`);
}

export function counterfactualFigure(
  figure: FigureBuilder,
  captions: ViewCaptions,
  config: CounterfactualConfig,
  data: CounterfactualData,
): FeaturesJobResult {
  const count = config.imageIndices.length;
  const target = captions.className(config.targetClass);
  const rowCaptions = editCaptions(captions, count, config.targetClass);
  const panels: EngineFeaturePanel[] = [];
  const tableRows: (string | number)[][] = [];
  for (const edit of data.edits) {
    panels.push({
      modelId: edit.modelId,
      title: `edited by ${edit.name}`,
      scrubBy: 'L2 change',
      rows: pathRows(figure, edit.frames, data.imageShape, rowCaptions),
    });
    for (let n = 0; n < count; n++) {
      tableRows.push([
        edit.name,
        captions.inputCaption(n),
        ...edit.readers.flatMap((_, k) => [
          edit.final[k]?.targetProbability[n] ?? NaN,
          captions.className(edit.final[k]?.predictedClass[n] ?? -1),
        ]),
      ]);
    }
  }
  const readers = data.edits.length === 2 ? ['the editor', 'the other model'] : ['the editor'];
  return figure.finish({
    view: 'counterfactual',
    panels,
    curves: data.edits.map((edit) => ({
      label: `edited by ${edit.name}`,
      modelId: edit.modelId,
      values: edit.loss,
    })),
    curveLabel: `editor's mean cross-entropy of “${target}”`,
    table: {
      columns: [
        'edited by',
        'image',
        ...readers.flatMap((who) => [`p(${target}), ${who}`, `predicted by ${who}`]),
      ],
      rows: tableRows,
    },
    warnings: [],
  });
}
