/**
 * What every features view works with: the models rebuilt from their weights, the input images
 * as an ImageSource, the figure being assembled, the frame streamer, and progress. `runView`
 * builds it, runs the view, and disposes the models whatever happens.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ImageSource } from '../../data/image-source';
import { importWeights } from '../../models/model-weights';
import type { Model } from '../../models/model-types';
import type {
  FeaturesJobResult,
  FeaturesJobSpec,
  FeaturesModelInput,
  LabeledImages,
} from '../../protocol';
import type { JobReporter } from '../../engine-types';
import { ProgressThrottle } from '../../progress/progress-throttle';
import type { FeatureStepHooks } from '../feature-hooks';
import { FigureBuilder, type ViewCaptions } from './feature-figure';
import { FrameStreamer } from './frame-streamer';

export interface ViewModel {
  input: FeaturesModelInput;
  model: Model;
}

export class ViewContext implements ViewCaptions {
  readonly figure = new FigureBuilder();
  readonly frames: FrameStreamer;
  readonly progress: ProgressThrottle;
  /** The chosen images; null when the view takes none (generation, feature synthesis only). */
  private readonly inputs: ImageSource | null;

  constructor(
    readonly spec: FeaturesJobSpec,
    readonly models: ViewModel[],
    reporter: JobReporter,
  ) {
    this.frames = new FrameStreamer(reporter);
    this.progress = new ProgressThrottle(reporter);
    this.inputs =
      spec.inputs.indices.length === 0
        ? null
        : labeledSource(spec.inputs, spec.classNames.length, 'the chosen images');
  }

  /** The labels of input images 0..count−1. */
  inputLabels(count: number): number[] {
    return Array.from({ length: count }, (_, n) => this.inputLabel(n));
  }

  /**
   * stageHooks for the common case: model `m` of the view's models is stage m of as many,
   * its frames streamed under "model-<id>".
   */
  modelStage(
    m: number,
    steps: number,
    label: string,
    captions: readonly string[],
  ): { hooks: FeatureStepHooks; curve: number[] } {
    const model = this.models[m];
    if (model === undefined) throw new Error(`there is no model ${m} in this view`);
    return this.stageHooks(
      m,
      this.models.length,
      steps,
      label,
      `model-${model.input.id}`,
      captions,
    );
  }

  /** The label of input image `position`. */
  inputLabel(position: number): number {
    const label = this.spec.inputs.labels[position];
    if (label === undefined) throw new Error(`input image ${position} was not sent`);
    return label;
  }

  className(label: number): string {
    return this.spec.classNames[label] ?? String(label);
  }

  /** "#123 (7)": an input image by its dataset index and class name. */
  inputCaption(position: number): string {
    const index = this.spec.inputs.indices[position] ?? position;
    return `#${index} (${this.className(this.spec.inputs.labels[position] ?? -1)})`;
  }

  /** Input images [from, to) as a [N,H,W,C] float tensor in [0,1]; the caller disposes it. */
  inputImages(from: number, to: number): tf.Tensor4D {
    const [, h, w, c] = this.spec.inputs.images.shape;
    if (this.inputs === null || to > this.inputs.count || from < 0 || from >= to) {
      throw new Error(`images ${from}..${to - 1} were asked for but not sent`);
    }
    const indices = Array.from({ length: to - from }, (_, i) => from + i);
    return tf.tensor4d(this.inputs.pixels(indices), [to - from, h, w, c]);
  }

  /**
   * Hooks for one iterative stage: stage `stage` of `stages`, `steps` steps long. They check for
   * cancellation, report progress, stream the current images as frames under `framePrefix`, and
   * collect the objective per step into the returned `curve`.
   */
  stageHooks(
    stage: number,
    stages: number,
    steps: number,
    label: string,
    framePrefix: string,
    captions: readonly string[],
  ): { hooks: FeatureStepHooks; curve: number[] } {
    const curve: number[] = [];
    const hooks: FeatureStepHooks = {
      beforeStep: (step) => {
        this.progress.throwIfCancelled();
        this.progress.report(
          (stage + Math.min(step, steps) / steps) / stages,
          `${label}: step ${Math.min(step, steps)}/${steps}`,
        );
      },
      onStep: (_step, value) => curve.push(value),
      onFrame: (step, images) =>
        this.frames.send(framePrefix, images, captions, step === steps - 1),
    };
    return { hooks, curve };
  }
}

export function labeledSource(
  images: LabeledImages,
  numClasses: number,
  what: string,
): ImageSource {
  if (images.indices.length !== images.labels.length) {
    throw new Error(`${what}: ${images.labels.length} labels but ${images.indices.length} indices`);
  }
  return new ImageSource(images.images, images.labels, numClasses, what);
}

/**
 * A view's runner from its two halves: `compute` turns the context's tensors into plain data,
 * `draw` lays that data out as the figure (FigureBuilder, captions from the context).
 */
export function computeThenDraw<Config, Data>(
  compute: (context: ViewContext, config: Config) => Data,
  draw: (
    figure: FigureBuilder,
    captions: ViewCaptions,
    config: Config,
    data: Data,
  ) => FeaturesJobResult,
): (context: ViewContext, config: Config) => FeaturesJobResult {
  return (context, config) => draw(context.figure, context, config, compute(context, config));
}

export function runView(
  spec: FeaturesJobSpec,
  reporter: JobReporter,
  view: (context: ViewContext) => FeaturesJobResult,
): FeaturesJobResult {
  if (spec.models.length === 0) throw new Error('a features view needs at least one model');
  const models: ViewModel[] = [];
  try {
    for (const input of spec.models) {
      models.push({ input, model: importWeights(input.spec, input.weights) });
    }
    return view(new ViewContext(spec, models, reporter));
  } finally {
    for (const { model } of models) model.dispose();
  }
}
