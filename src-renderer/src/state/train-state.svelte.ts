/**
 * The Train view: the training form, the job started from it and the run whose metrics are
 * charted (the live one, or a past one chosen from the list).
 */
import type { WorkbenchApi } from '@common/contract';
import type {
  ArchitectureName,
  MetricPoint,
  OptimizerName,
  RunSummary,
  TrainingConfig,
} from '@common/schemas';
import type { CatalogState } from './catalog-state.svelte';
import type { ErrorState } from './error-state.svelte';
import type { JobsState, JobView } from './jobs-state.svelte';
import { cancelJob } from './cancel-job';
import { PerturbationForm } from './perturbation-form.svelte';

export class TrainForm {
  // Bound directly by the inputs: these are the form's own fields.
  datasetId = $state<number | null>(null);
  modelName = $state('model');
  architecture = $state<ArchitectureName>('small-cnn');
  epochs = $state<number | null>(2);
  batchSize = $state<number | null>(64);
  learningRate = $state<number | null>(0.001);
  optimizer = $state<OptimizerName>('adam');
  seed = $state<number | null>(0);
  /** Empty: train on every training image. */
  trainLimit = $state<number | null>(null);
  robust = $state(false);
  /**
   * Epochs over which ε grows from 0 to its full value (robust training only). One epoch by
   * default: at ε = 0.3 from random weights small-cnn stayed at chance without a warm-up.
   */
  epsilonWarmupEpochs = $state<number | null>(1);
  readonly adversarial = new PerturbationForm({
    linf: { epsilon: 0.3, stepSize: 0.1 },
    l2: { epsilon: 2.0, stepSize: 0.25 },
    steps: 7,
  });

  toConfig(fallbackDatasetId: number | undefined): TrainingConfig {
    return {
      datasetId: this.datasetId ?? fallbackDatasetId ?? Number.NaN,
      modelName: this.modelName,
      architecture: this.architecture,
      epochs: this.epochs ?? Number.NaN,
      batchSize: this.batchSize ?? Number.NaN,
      learningRate: this.learningRate ?? Number.NaN,
      optimizer: this.optimizer,
      seed: this.seed ?? 0,
      trainLimit: Number.isFinite(this.trainLimit) ? this.trainLimit : null,
      adversarial: this.robust ? this.adversarial.toConfig() : null,
      epsilonWarmupEpochs: this.robust ? (this.epsilonWarmupEpochs ?? Number.NaN) : 0,
    };
  }
}

export class TrainState {
  readonly form = new TrainForm();
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
    try {
      const config = this.form.toConfig(this.catalog.datasets[0]?.id);
      const started = await this.api.call('jobs.startTraining', config);
      this.jobs.started(started.jobId, started.runId);
      this.#runId = started.runId;
      this.#pastMetrics = [];
      void this.catalog.refreshRuns();
    } catch (error) {
      this.errors.report('Start training', error);
    } finally {
      this.#starting = false;
    }
  }

  cancel(): Promise<void> {
    return cancelJob(this.api, this.job, this.errors, 'Cancel training');
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
