import { experimentDefaults, imageKind, type ImageKind } from '@common/experiment-defaults';
import type { TransferConfig } from '@common/experiment-schemas';
import type { DatasetSummary } from '@common/dataset-schemas';
import type { ModelSummary } from '@common/model-schemas';
import { PerturbationForm, type PerturbationDefaults } from '../perturbation-form.svelte';
import { isColour } from './shared-forms.svelte';

/** Experiment d: the attack starts from experimentDefaults.transfer's threat models per image kind. */
const transferDefaults = (kind: ImageKind): PerturbationDefaults => ({
  ...experimentDefaults.transfer.threatModels[kind],
  steps: experimentDefaults.transfer.steps,
  randomStart: experimentDefaults.transfer.randomStart,
});

/** How many models a transfer matrix takes (the contract's bounds). */
export const transferModelLimits = { min: 2, max: 8 } as const;

export class TransferForm {
  name = $state<string>(experimentDefaults.transfer.name);
  datasetId = $state<number | null>(null);
  count = $state<number | null>(experimentDefaults.transfer.count);
  seed = $state<number | null>(experimentDefaults.seed);
  #modelIds = $state.raw<number[]>([]);
  #attack = $state.raw(new PerturbationForm(transferDefaults('grey')));
  #colour = false;

  /** The chosen models, in the order they were ticked. */
  get modelIds(): readonly number[] {
    return this.#modelIds;
  }
  get attack(): PerturbationForm {
    return this.#attack;
  }

  chosen(id: number): boolean {
    return this.#modelIds.includes(id);
  }

  /** Ticks or unticks one model; ticking past the limit is ignored (the boxes are disabled). */
  toggleModel(id: number, on: boolean): void {
    if (on && !this.chosen(id) && this.#modelIds.length < transferModelLimits.max)
      this.#modelIds = [...this.#modelIds, id];
    if (!on) this.#modelIds = this.#modelIds.filter((chosen) => chosen !== id);
  }

  /** A new dataset keeps only the chosen models that fit it, and loads its image kind's attack. */
  chooseDataset(dataset: DatasetSummary | undefined, fits: (model: number) => boolean): void {
    if (!dataset) return;
    this.datasetId = dataset.id;
    this.#modelIds = this.#modelIds.filter(fits);
    this.#suit(dataset);
  }

  #suit(dataset: DatasetSummary): void {
    const colour = isColour(dataset);
    if (colour === this.#colour) return;
    this.#colour = colour;
    this.#attack = new PerturbationForm(transferDefaults(imageKind(colour)));
  }

  /** `models`: the project's models now, so that a deleted one is not sent. */
  toConfig(models: readonly ModelSummary[]): TransferConfig {
    if (this.datasetId === null) throw new Error('choose a dataset: import or open one first');
    return {
      type: 'transfer',
      name: this.name,
      datasetId: this.datasetId,
      modelIds: this.#modelIds.filter((id) => models.some((model) => model.id === id)),
      count: this.count ?? Number.NaN,
      attack: this.#attack.toConfig(),
      seed: this.seed ?? experimentDefaults.seed,
    };
  }

  load(config: TransferConfig, dataset: DatasetSummary | undefined): void {
    if (dataset) this.#suit(dataset);
    this.name = config.name;
    this.datasetId = config.datasetId;
    this.#modelIds = [...config.modelIds];
    this.count = config.count;
    this.seed = config.seed;
    this.#attack.load(config.attack);
  }

  clear(): void {
    this.datasetId = null;
    this.#modelIds = [];
  }
}
