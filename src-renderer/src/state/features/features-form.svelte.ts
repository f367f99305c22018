/**
 * The features lab's form: the view, the dataset, one or two models, the chosen images (an
 * ordered list, read by each view in its own way) and every view's settings. Settings start at
 * the papers' defaults scaled to the dataset's image size (features-defaults.ts); choosing
 * another dataset reloads them.
 */
import { featuresDefaults } from '@common/features-defaults';
import type { FeaturesConfig, FeaturesViewName, SaliencyMethod } from '@common/features-schemas';
import type { DatasetSummary } from '@common/schemas';
import { centreSquareMask } from './inpainting-mask';

/** How many images each view takes from the chosen list. */
export const pickLimits: Record<FeaturesViewName, number> = {
  saliency: 16,
  inversion: 8,
  interpolation: 2,
  'feature-visualization': 8,
  generation: 0,
  'super-resolution': 8,
  inpainting: 8,
  counterfactual: 4,
};

type Defaults = ReturnType<typeof featuresDefaults>;

export class FeaturesForm {
  view = $state<FeaturesViewName>('saliency');
  name = $state('');
  datasetId = $state<number | null>(null);
  modelA = $state<number | null>(null);
  /** The second model of the side-by-side comparison; null: one model only. */
  modelB = $state<number | null>(null);
  seed = $state<number | null>(0);
  /** Dataset indices, in the order they were picked. */
  picked = $state.raw<number[]>([]);
  #imageShape = $state.raw<number[]>([28, 28, 1]);

  // Saliency
  methods = $state.raw<SaliencyMethod[]>(['gradient', 'smoothgrad', 'integrated-gradients']);
  explain = $state<'label' | 'predicted'>('label');
  smoothGradSamples = $state<number | null>(50);
  smoothGradNoise = $state<number | null>(0.15);
  integratedGradientsSteps = $state<number | null>(50);
  integratedGradientsBaseline = $state<'black' | 'white' | 'uniform-noise'>('black');
  randomizationCheck = $state(true);
  randomizationMode = $state<'full' | 'cascading'>('full');
  // Inversion and interpolation
  startFrom = $state<'noise' | 'images'>('noise');
  frames = $state<number | null>(8);
  // Feature visualization
  unit = $state<number | null>(0);
  topK = $state<number | null>(8);
  searchLimit = $state<number | null>(2000);
  strength = $state<number | null>(2);
  // Generation
  classes = $state.raw<number[]>([]);
  samplesPerClass = $state<number | null>(2);
  seedDownsample = $state<number | null>(4);
  // Super-resolution
  factor = $state<number | null>(4);
  // In-painting
  mask = $state.raw<(0 | 1)[]>(centreSquareMask(28, 28));
  fill = $state<'seed' | 'grey' | 'noise'>('seed');
  // Counterfactual
  targetClass = $state<number | null>(0);
  // Shared by the iterative views: each view keeps its own.
  steps = $state<Record<FeaturesViewName, number | null>>(stepsOf(featuresDefaults([28, 28, 1])));
  stepSize = $state<Record<FeaturesViewName, number | null>>(
    stepSizesOf(featuresDefaults([28, 28, 1])),
  );
  epsilon = $state<Record<'generation' | 'super-resolution' | 'counterfactual', number | null>>(
    epsilonsOf(featuresDefaults([28, 28, 1])),
  );

  get imageShape(): readonly number[] {
    return this.#imageShape;
  }

  /** The picks this view uses. */
  get usedPicks(): number[] {
    return this.picked.slice(0, pickLimits[this.view]);
  }

  togglePick(index: number): void {
    if (this.picked.includes(index)) {
      this.picked = this.picked.filter((picked) => picked !== index);
    } else {
      this.picked = [...this.picked, index];
    }
  }

  chooseDataset(dataset: DatasetSummary | undefined): void {
    if (!dataset || dataset.id === this.datasetId) return;
    this.datasetId = dataset.id;
    this.picked = [];
    this.#imageShape = [...dataset.imageShape];
    const defaults = featuresDefaults(dataset.imageShape);
    this.smoothGradSamples = defaults.saliency.smoothGradSamples;
    this.smoothGradNoise = defaults.saliency.smoothGradNoise;
    this.integratedGradientsSteps = defaults.saliency.integratedGradientsSteps;
    this.topK = defaults.featureVisualization.topK;
    this.searchLimit = defaults.featureVisualization.searchLimit;
    this.strength = defaults.featureVisualization.strength;
    this.seedDownsample = defaults.generation.seedDownsample;
    this.factor = defaults.superResolution.factor;
    this.steps = stepsOf(defaults);
    this.stepSize = stepSizesOf(defaults);
    this.epsilon = epsilonsOf(defaults);
    const [height = 28, width = 28] = dataset.imageShape;
    this.mask = centreSquareMask(height, width);
    this.classes = Array.from({ length: Math.min(10, dataset.classNames.length) }, (_, i) => i);
  }

  toConfig(): FeaturesConfig {
    if (this.datasetId === null) throw new Error('choose a dataset: import or open one first');
    if (this.modelA === null) throw new Error('choose a model: train or import one first');
    const view = this.view;
    const common = {
      name:
        this.name.trim() ||
        `${view} ${Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'short' }).format(Date.now())}`,
      datasetId: this.datasetId,
      modelIds: this.modelB === null ? [this.modelA] : [this.modelA, this.modelB],
      seed: this.seed ?? 0,
    };
    const steps = { steps: this.steps[view] ?? NaN, stepSize: this.stepSize[view] ?? NaN };
    const picks = this.usedPicks;
    switch (view) {
      case 'saliency':
        return {
          view,
          ...common,
          imageIndices: picks,
          methods: this.methods,
          explain: this.explain,
          smoothGradSamples: this.smoothGradSamples ?? NaN,
          smoothGradNoise: this.smoothGradNoise ?? NaN,
          integratedGradientsSteps: this.integratedGradientsSteps ?? NaN,
          integratedGradientsBaseline: this.integratedGradientsBaseline,
          randomizationCheck: this.randomizationCheck,
          randomizationMode: this.randomizationMode,
        };
      case 'inversion':
        return {
          view,
          ...common,
          targetIndices: picks,
          // "Another chosen image": image n starts from image n + 1 of the list (cyclically).
          start:
            this.startFrom === 'noise'
              ? { kind: 'noise' }
              : {
                  kind: 'images',
                  indices: picks.map((_, n) => picks[(n + 1) % picks.length] ?? 0),
                },
          ...steps,
        };
      case 'interpolation':
        if (picks.length < 2) throw new Error('choose two images to interpolate between');
        return {
          view,
          ...common,
          fromIndex: picks[0] ?? 0,
          toIndex: picks[1] ?? 0,
          frames: this.frames ?? NaN,
          ...steps,
        };
      case 'feature-visualization':
        return {
          view,
          ...common,
          unit: this.unit ?? NaN,
          topK: this.topK ?? NaN,
          searchLimit: this.searchLimit,
          ...steps,
          addToIndices: picks,
          strength: this.strength ?? NaN,
        };
      case 'generation':
        return {
          view,
          ...common,
          classes: this.classes,
          samplesPerClass: this.samplesPerClass ?? NaN,
          seedDownsample: this.seedDownsample ?? NaN,
          epsilon: this.epsilon.generation ?? NaN,
          ...steps,
        };
      case 'super-resolution':
        return {
          view,
          ...common,
          imageIndices: picks,
          factor: this.factor ?? NaN,
          epsilon: this.epsilon['super-resolution'] ?? NaN,
          ...steps,
        };
      case 'inpainting':
        return { view, ...common, imageIndices: picks, mask: this.mask, fill: this.fill, ...steps };
      case 'counterfactual':
        return {
          view,
          ...common,
          imageIndices: picks,
          targetClass: this.targetClass ?? NaN,
          epsilon: this.epsilon.counterfactual ?? NaN,
          ...steps,
        };
    }
  }

  /** Shows a recorded run's settings, ready to rerun or vary. */
  load(config: FeaturesConfig, dataset: DatasetSummary | undefined): void {
    this.chooseDataset(dataset);
    this.view = config.view;
    // The name is the loaded run's own, not a setting: carried over, it named the next run of
    // any view after it ("saliency …" for a feature visualization). Empty, the next run is named
    // after its own view and time, or whatever the user types.
    this.name = '';
    this.modelA = config.modelIds[0] ?? null;
    this.modelB = config.modelIds[1] ?? null;
    this.seed = config.seed;
    if ('steps' in config) {
      this.steps = { ...this.steps, [config.view]: config.steps };
      this.stepSize = { ...this.stepSize, [config.view]: config.stepSize };
    }
    switch (config.view) {
      case 'saliency':
        this.picked = config.imageIndices;
        this.methods = config.methods;
        this.explain = config.explain;
        this.smoothGradSamples = config.smoothGradSamples;
        this.smoothGradNoise = config.smoothGradNoise;
        this.integratedGradientsSteps = config.integratedGradientsSteps;
        this.integratedGradientsBaseline = config.integratedGradientsBaseline;
        this.randomizationCheck = config.randomizationCheck;
        this.randomizationMode = config.randomizationMode;
        return;
      case 'inversion':
        this.picked = config.targetIndices;
        this.startFrom = config.start.kind;
        return;
      case 'interpolation':
        this.picked = [config.fromIndex, config.toIndex];
        this.frames = config.frames;
        return;
      case 'feature-visualization':
        this.picked = config.addToIndices;
        this.unit = config.unit;
        this.topK = config.topK;
        this.searchLimit = config.searchLimit;
        this.strength = config.strength;
        return;
      case 'generation':
        this.classes = config.classes;
        this.samplesPerClass = config.samplesPerClass;
        this.seedDownsample = config.seedDownsample;
        this.epsilon = { ...this.epsilon, generation: config.epsilon };
        return;
      case 'super-resolution':
        this.picked = config.imageIndices;
        this.factor = config.factor;
        this.epsilon = { ...this.epsilon, 'super-resolution': config.epsilon };
        return;
      case 'inpainting':
        this.picked = config.imageIndices;
        this.mask = config.mask;
        this.fill = config.fill;
        return;
      case 'counterfactual':
        this.picked = config.imageIndices;
        this.targetClass = config.targetClass;
        this.epsilon = { ...this.epsilon, counterfactual: config.epsilon };
        return;
    }
  }
}

function stepsOf(d: Defaults): Record<FeaturesViewName, number | null> {
  return {
    saliency: null,
    inversion: d.inversion.steps,
    interpolation: d.inversion.steps,
    'feature-visualization': d.featureVisualization.steps,
    generation: d.generation.steps,
    'super-resolution': d.superResolution.steps,
    inpainting: d.inpainting.steps,
    counterfactual: d.counterfactual.steps,
  };
}

function stepSizesOf(d: Defaults): Record<FeaturesViewName, number | null> {
  return {
    saliency: null,
    inversion: d.inversion.stepSize,
    interpolation: d.inversion.stepSize,
    'feature-visualization': d.featureVisualization.stepSize,
    generation: d.generation.stepSize,
    'super-resolution': d.superResolution.stepSize,
    inpainting: d.inpainting.stepSize,
    counterfactual: d.counterfactual.stepSize,
  };
}

function epsilonsOf(
  d: Defaults,
): Record<'generation' | 'super-resolution' | 'counterfactual', number | null> {
  return {
    generation: d.generation.epsilon,
    'super-resolution': d.superResolution.epsilon,
    counterfactual: d.counterfactual.epsilon,
  };
}
