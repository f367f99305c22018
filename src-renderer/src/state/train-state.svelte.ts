/**
 * The Train view: the training form, the job started from it and the run whose metrics are
 * charted (the live one, or a past one chosen from the list).
 */
import type { WorkbenchApi } from '@common/contract';
import type {
  AdversarialLoss,
  AugmentationChoice,
  LearningRateSchedule,
  OptimizerName,
  TrainingConfig,
} from '@common/training-schemas';
import type { TrainableArchitecture } from '@common/model-schemas';
import type { MetricPoint, RunSummary } from '@common/run-schemas';
import type { CatalogState } from './catalog-state.svelte';
import type { ErrorState } from './error-state.svelte';
import type { JobsState, JobView } from './jobs-state.svelte';
import { defaultModelName, trainingFormDefaults as defaults } from '@common/training-defaults';
import { cancelJob } from './cancel-job';
import { FieldErrors } from './field-errors.svelte';
import { PerturbationForm } from './perturbation-form.svelte';

export type ScheduleKind = LearningRateSchedule['kind'];

/** The learning-rate schedule's fields; only those of the chosen kind are sent. */
export class ScheduleForm {
  kind = $state<ScheduleKind>(defaults.scheduleKind);
  /** Step: factor at each milestone. */
  gamma = $state<number | null>(defaults.schedule.gamma);
  /** Step: epochs after which the rate drops, as typed ("50, 75"). */
  milestones = $state('');
  /** Cosine: the rate at the end of the run. */
  floor = $state<number | null>(defaults.schedule.floor);
  /** One-cycle: where the peak is, as a fraction of the run. */
  peakFraction = $state<number | null>(defaults.schedule.peakFraction);

  /** Empty or unreadable fields go out as NaN so that the workbench names the field. */
  toConfig(): LearningRateSchedule {
    switch (this.kind) {
      case 'step':
        return {
          kind: 'step',
          gamma: this.gamma ?? Number.NaN,
          milestones: this.milestones
            .split(/[\s,;]+/)
            .filter((part) => part !== '')
            .map(Number),
        };
      case 'cosine':
        return { kind: 'cosine', floor: this.floor ?? Number.NaN };
      case 'one-cycle':
        return { kind: 'one-cycle', peakFraction: this.peakFraction ?? Number.NaN };
      default:
        return { kind: 'constant' };
    }
  }
}

export class TrainForm {
  // Bound directly by the inputs: these are the form's own fields.
  datasetId = $state<number | null>(null);
  /** Empty: defaultModelName (the architecture, "robust …" when robust), shown as the hint. */
  modelName = $state('');
  architecture = $state<TrainableArchitecture>(defaults.architecture);
  epochs = $state<number | null>(defaults.epochs);
  batchSize = $state<number | null>(defaults.batchSize);
  learningRate = $state<number | null>(defaults.learningRate);
  optimizer = $state<OptimizerName>(defaults.optimizer);
  seed = $state<number | null>(defaults.seed);
  /** Empty: train on every training image. */
  trainLimit = $state<number | null>(null);
  robust = $state(false);
  /** Epochs over which ε grows from 0 to its full value (robust training only; why: the default's comment). */
  epsilonWarmupEpochs = $state<number | null>(defaults.robust.epsilonWarmupEpochs);
  readonly adversarial = new PerturbationForm({
    ...defaults.robust.threatModels,
    steps: defaults.robust.steps,
    randomStart: defaults.robust.randomStart,
  });
  /** Robust training's loss: PGD examples (Madry et al.) or TRADES (Zhang et al.). */
  adversarialLoss = $state<AdversarialLoss>(defaults.adversarialLoss);
  /** TRADES β: weight of the KL term (6 in the paper). */
  tradesBeta = $state<number | null>(defaults.tradesBeta);
  readonly schedule = new ScheduleForm();
  /** 'auto': random crop + flip for 32×32×3 (CIFAR-like) images only. */
  augmentation = $state<AugmentationChoice>(defaults.augmentation);
  /** Hold out a validation set, measure it, and save the best epoch's weights. */
  validate = $state<boolean>(defaults.validation.enabled);
  /** Images held out: a count (≥ 1) or a fraction of the training split (< 1). */
  validationSize = $state<number | null>(defaults.validation.size);
  validationEvery = $state<number | null>(defaults.validation.everyEpochs);
  /** Also save the last epoch's weights when an earlier epoch validated best. */
  saveFinalModel = $state<boolean>(defaults.saveFinalModel);

  /** The name typed, else the one the model gets (the name field's hint). */
  get modelNameOrDefault(): string {
    return this.modelName.trim() === ''
      ? defaultModelName(this.architecture, this.robust)
      : this.modelName;
  }

  toConfig(fallbackDatasetId: number | undefined): TrainingConfig {
    return {
      datasetId: this.datasetId ?? fallbackDatasetId ?? Number.NaN,
      modelName: this.modelNameOrDefault,
      architecture: this.architecture,
      epochs: this.epochs ?? Number.NaN,
      batchSize: this.batchSize ?? Number.NaN,
      learningRate: this.learningRate ?? Number.NaN,
      optimizer: this.optimizer,
      seed: this.seed ?? 0,
      trainLimit: Number.isFinite(this.trainLimit) ? this.trainLimit : null,
      adversarial: this.robust ? this.adversarial.toConfig() : null,
      epsilonWarmupEpochs: this.robust ? (this.epsilonWarmupEpochs ?? Number.NaN) : 0,
      adversarialLoss: this.adversarialLoss,
      tradesBeta: this.tradesBeta ?? Number.NaN,
      learningRateSchedule: this.schedule.toConfig(),
      augmentation: this.augmentation,
      validation: this.validate
        ? {
            size: this.validationSize ?? Number.NaN,
            everyEpochs: this.validationEvery ?? Number.NaN,
            attack: null,
          }
        : null,
      saveFinalModel: this.validate && this.saveFinalModel,
    };
  }
}

export class TrainState {
  readonly form = new TrainForm();
  /** Problems with the form's fields from the last start, shown under each field. */
  readonly fieldErrors = new FieldErrors();
  #runId = $state<number | null>(null);
  #pastMetrics = $state.raw<MetricPoint[]>([]);
  #starting = $state(false);

  private readonly api: WorkbenchApi;
  private readonly catalog: CatalogState;
  private readonly jobs: JobsState;
  private readonly errors: ErrorState;

  constructor(api: WorkbenchApi, catalog: CatalogState, jobs: JobsState, errors: ErrorState) {
    this.api = api;
    this.catalog = catalog;
    this.jobs = jobs;
    this.errors = errors;
  }

  /** The run whose chart and state are shown. */
  get runId(): number | null {
    return this.#runId;
  }
  get run(): RunSummary | undefined {
    return this.catalog.run(this.#runId);
  }
  get job(): JobView | undefined {
    return this.jobs.job(this.#runId);
  }
  get starting(): boolean {
    return this.#starting;
  }
  get pastRuns(): readonly RunSummary[] {
    return this.catalog.runs.filter((run) => run.kind === 'train');
  }
  /** Stored points, plus those streamed since (deduplicated by step and key). */
  get metrics(): readonly MetricPoint[] {
    const live = this.jobs.liveMetrics(this.#runId);
    if (live.length === 0) return this.#pastMetrics;
    // A local, read once: not state, so not a SvelteSet.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const seen = new Set(this.#pastMetrics.map((p) => `${p.step}|${p.key}`));
    return [...this.#pastMetrics, ...live.filter((p) => !seen.has(`${p.step}|${p.key}`))];
  }

  async start(): Promise<void> {
    this.#starting = true;
    // Acting again: the last attempt's messages are answered or out of date.
    this.fieldErrors.clear();
    this.errors.clear();
    try {
      const config = this.form.toConfig(this.catalog.datasets[0]?.id);
      const started = await this.api.call('jobs.startTraining', config);
      this.jobs.started(started.jobId, started.runId);
      this.#runId = started.runId;
      this.#pastMetrics = [];
      void this.catalog.refreshRuns();
    } catch (error) {
      const elsewhere = this.fieldErrors.report(error);
      if (elsewhere !== null) this.errors.report('Start training', elsewhere);
    } finally {
      this.#starting = false;
    }
  }

  cancel(): Promise<void> {
    return cancelJob(this.api, this.job, this.errors, 'Cancel training');
  }

  /** A training run that stopped before it completed (resumable only with a checkpoint). */
  get stopped(): boolean {
    const run = this.run;
    return (
      run !== undefined &&
      run.kind === 'train' &&
      ['interrupted', 'cancelled', 'failed'].includes(run.status) &&
      this.job?.phase !== 'running'
    );
  }

  /** A stopped run with a checkpoint to go on from: only then is "Resume training" offered. */
  get resumable(): boolean {
    return this.stopped && this.run?.hasCheckpoint === true;
  }

  /** Continues the shown run from its last checkpoint (same run, same metrics so far). */
  async resume(): Promise<void> {
    const runId = this.#runId;
    if (runId === null) return;
    this.#starting = true;
    try {
      const started = await this.api.call('jobs.resumeTraining', { runId });
      this.jobs.started(started.jobId, started.runId);
      // The workbench dropped the metrics logged after the checkpoint: reload what remains.
      await this.showRun(runId);
      void this.catalog.refreshRuns();
    } catch (error) {
      this.errors.report('Resume training', error);
    } finally {
      this.#starting = false;
    }
  }

  /** Shows a past (or running) training run's metrics. */
  async showRun(runId: number): Promise<void> {
    this.#runId = runId;
    this.#pastMetrics = [];
    try {
      const points = await this.api.call('runs.metrics', { runId });
      if (this.#runId === runId) this.#pastMetrics = points;
    } catch (error) {
      this.errors.report('Load training metrics', error);
    }
  }

  /** A job of this view ended: reload its stored metrics so the chart is complete. */
  async finished(runId: number): Promise<void> {
    if (runId === this.#runId) await this.showRun(runId);
  }

  reset(): void {
    this.#runId = null;
    this.#pastMetrics = [];
    this.form.datasetId = null;
  }
}
