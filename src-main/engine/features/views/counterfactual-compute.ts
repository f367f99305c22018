/**
 * The counterfactual view's computation (Santurkar et al. 2019 §3.2): each model in turn edits
 * the images towards the target class by targeted L2 ascent within ε (counterfactual.ts), while
 * every model's belief p(target) is read at the kept frames of the path. Returns plain numbers
 * and pixels; counterfactual-figure.ts lays them out.
 */
import type { CounterfactualConfig } from '../../../common/features-schemas';
import { predictionsOf } from '../class-predictions';
import { counterfactualEdit } from '../counterfactual';
import {
  editCaptions,
  type CounterfactualData,
  type CounterfactualEdit,
} from './counterfactual-figure';
import { PathRecorder } from './path-frames';
import type { ViewContext } from './view-context';

/** Frames kept along each edit (the start included). */
const PATH_FRAMES = 9;

export function computeCounterfactual(
  context: ViewContext,
  config: CounterfactualConfig,
): CounterfactualData {
  const count = config.imageIndices.length;
  const images = context.inputImages(0, count);
  const targets = Array.from({ length: count }, () => config.targetClass);
  const target = context.className(config.targetClass);
  const models = context.models.map(({ model }) => model);
  const names = context.models.map(({ input }) => input.name);
  const captions = editCaptions(context, count, config.targetClass);
  try {
    const edits = context.models.map(({ input }, m): CounterfactualEdit => {
      // This model edits; every model (it included, first) is read out along the path.
      const readers = [m, ...models.keys()].filter((i, k, list) => list.indexOf(i) === k);
      const ordered = readers.map((i) => models[i]).filter((model) => model !== undefined);
      const path = new PathRecorder(images, config.steps, PATH_FRAMES, (points) => {
        const beliefs = predictionsOf(ordered, points, targets);
        return Object.fromEntries(
          readers.map((i, k) => [
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
      return {
        modelId: input.id,
        name: input.name,
        readers,
        frames: path.frames,
        final: outcome.predictionsPerStep.at(-1) ?? [],
        loss: outcome.lossPerStep,
      };
    });
    const [, h, w, c] = images.shape;
    return { imageShape: [h, w, c], edits };
  } finally {
    images.dispose();
  }
}
