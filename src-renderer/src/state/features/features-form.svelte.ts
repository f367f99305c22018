/**
 * The features lab's form: the view, the dataset, one or two models, the chosen images (an
 * ordered list, read by each view in its own way) and every view's settings, kept per view. The
 * settings, their defaults (the papers' values scaled to the dataset's image size) and the
 * config built from them are the views' descriptors' (common/features-views/), shared with the
 * CLI; choosing another dataset reloads the settings whose defaults depend on it.
 */
import { featuresRunDefaults } from '@common/features-defaults';
import {
  buildFeaturesConfig,
  featuresOptionDefaults,
  featuresViews,
  readFeaturesConfig,
  reloadDatasetDefaults,
  type FeaturesConfig,
  type FeaturesViewName,
  type FeaturesViewOptions,
} from '@common/features-views/registry';
import type { ViewDataset } from '@common/features-views/view-options';
import type { DatasetSummary } from '@common/dataset-schemas';

/** Before a dataset is chosen: MNIST's shape, no classes yet. */
const noDataset: ViewDataset = { imageShape: [28, 28, 1], classCount: 0 };

export class FeaturesForm {
  view = $state<FeaturesViewName>('saliency');
  name = $state('');
  datasetId = $state<number | null>(null);
  modelA = $state<number | null>(null);
  /** The second model of the side-by-side comparison; null: one model only. */
  modelB = $state<number | null>(null);
  seed = $state<number | null>(featuresRunDefaults.seed);
  /** Dataset indices, in the order they were picked. */
  picked = $state.raw<number[]>([]);
  #imageShape = $state.raw<number[]>([...noDataset.imageShape]);
  /** Each view's settings (switching views keeps what was typed in each). */
  options = $state<FeaturesViewOptions>(featuresOptionDefaults(noDataset));

  get imageShape(): readonly number[] {
    return this.#imageShape;
  }

  /** The picks this view uses. */
  get usedPicks(): number[] {
    return this.picked.slice(0, featuresViews[this.view].images.limit);
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
    this.options = reloadDatasetDefaults($state.snapshot(this.options), {
      imageShape: dataset.imageShape,
      classCount: dataset.classNames.length,
    });
  }

  toConfig(): FeaturesConfig {
    if (this.datasetId === null) throw new Error('choose a dataset: import or open one first');
    if (this.modelA === null) throw new Error('choose a model: train or import one first');
    const view = this.view;
    return buildFeaturesConfig(view, {
      name:
        this.name.trim() ||
        `${view} ${Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'short' }).format(Date.now())}`,
      datasetId: this.datasetId,
      modelIds: this.modelB === null ? [this.modelA] : [this.modelA, this.modelB],
      seed: this.seed ?? featuresRunDefaults.seed,
      images: this.usedPicks,
      options: $state.snapshot(this.options[view]),
    });
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
    const recorded = readFeaturesConfig(config);
    this.options = { ...$state.snapshot(this.options), [config.view]: recorded.options };
    if (recorded.images !== null) this.picked = recorded.images;
  }
}
