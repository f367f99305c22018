/**
 * View 6, counterfactual editing ("what would make this a 7?", Santurkar et al. 2019 §3.2): each
 * model in turn edits the images towards the target class by targeted L2 ascent within ε
 * (counterfactual.ts), while every model's belief is read at each step. Frames along the path
 * are kept for the ε slider. A robust model's edit draws the target; a standard model flips its
 * own prediction with invisible noise that does not fool the robust one.
 */
import type { CounterfactualConfig } from '../../../common/features-schemas';
import type { FeaturesJobResult } from '../../protocol';
import { predictionsOf } from '../class-predictions';
import { counterfactualEdit } from '../counterfactual';
import { imageCell } from './feature-figure';
import type { EngineFeaturePanel } from './feature-summaries';
import { PathRecorder } from './path-frames';
import type { ViewContext } from './view-context';

/** Frames kept along each edit (the start included). */
const PATH_FRAMES = 9;

export function runCounterfactualView(
  context: ViewContext,
  config: CounterfactualConfig,
): FeaturesJobResult {
  const count = config.imageIndices.length;
  const images = context.inputImages(0, count);
  const targets = Array.from({ length: count }, () => config.targetClass);
  const target = context.className(config.targetClass);
  const { figure } = context;
  const models = context.models.map(({ model }) => model);
  const names = context.models.map(({ input }) => input.name);
  const { spec } = context;
  const [, h, w, c] = spec.inputs.images.shape;
  const size = h * w * c;
  try {
    const panels: EngineFeaturePanel[] = [];
    const curves = [];
    const tableRows: (string | number)[][] = [];
    const captions = targets.map((_, n) => `${context.inputCaption(n)} → ${target}`);
    for (const [m, { input }] of context.models.entries()) {
      // This model edits; every model (it included, first) is read out along the path.
      const order = [m, ...models.keys()].filter((i, k, list) => list.indexOf(i) === k);
      const ordered = order.map((i) => models[i]).filter((model) => model !== undefined);
      const path = new PathRecorder(images, config.steps, PATH_FRAMES, (points) => {
        const beliefs = predictionsOf(ordered, points, targets);
        return Object.fromEntries(
          order.map((i, k) => [
            `p(${target}) ${names[i] ?? ''}`,
            beliefs[k]?.targetProbability ?? [],
          ]),
        );
      });
      const stage = context.modelStage(m, config.steps, `editing with ${input.name}`, captions);
      const onFrame = stage.hooks.onFrame;
      const outcome = counterfactualEdit(
        ordered,
        images,
        targets,
        { epsilon: config.epsilon, steps: config.steps, stepSize: config.stepSize },
        {
          ...stage.hooks,
          onFrame: (step, points) => {
            path.onFrame(step, points);
            onFrame?.(step, points);
          },
        },
      );
      outcome.images.dispose();
      panels.push({
        modelId: input.id,
        title: `edited by ${input.name}`,
        scrubBy: 'L2 change',
        rows: Array.from({ length: count }, (_, n) => ({
          caption: captions[n] ?? '',
          cells: path.frames.map((frame) =>
            imageCell(
              figure.picture([h, w, c], frame.pixels.slice(n * size, (n + 1) * size)),
              `after ${frame.steps} steps`,
              {
                'L2 change': frame.distance[n] ?? NaN,
                ...Object.fromEntries(
                  Object.entries(frame.numbers).map(([key, values]) => [key, values[n] ?? NaN]),
                ),
              },
            ),
          ),
        })),
      });
      const final = outcome.predictionsPerStep.at(-1) ?? [];
      for (let n = 0; n < count; n++) {
        tableRows.push([
          input.name,
          context.inputCaption(n),
          ...order.flatMap((_, k) => [
            final[k]?.targetProbability[n] ?? NaN,
            context.className(final[k]?.predictedClass[n] ?? -1),
          ]),
        ]);
      }
      curves.push({
        label: `edited by ${input.name}`,
        modelId: input.id,
        values: outcome.lossPerStep,
      });
    }
    const readers =
      context.models.length === 2 ? ['the editor', 'the other model'] : ['the editor'];
    return figure.finish({
      view: 'counterfactual',
      panels,
      curves,
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
  } finally {
    images.dispose();
  }
}
