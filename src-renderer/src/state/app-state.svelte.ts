/**
 * The root of the UI state: one instance, made in main.ts and handed to App.svelte. It owns
 * the sub-states, subscribes to the workbench's events and routes them.
 */
import type { WorkbenchConnection } from '../lib/api';
import { AttackState } from './attack-state.svelte';
import { BackendState } from './backend-state.svelte';
import { CatalogState } from './catalog-state.svelte';
import { DatasetState } from './dataset-state.svelte';
import { ErrorState } from './error-state.svelte';
import { EvaluationState } from './evaluation-state.svelte';
import { ExperimentState } from './experiment-state.svelte';
import { CompareState } from './compare-state.svelte';
import { FeaturesState } from './features-state.svelte';
import { GalleryState } from './gallery-state.svelte';
import { JobsState } from './jobs-state.svelte';
import { CatalogEdits } from './catalog-edits.svelte';
import { ModelIoState } from './model-io-state.svelte';
import { ProjectState } from './project-state.svelte';
import { TrainState } from './train-state.svelte';
import { formatScreenLink, type ScreenLink } from '../lib/screen-link';
import type { FormMemory } from './form-memory';

export type Tab =
  | 'dataset'
  | 'train'
  | 'attack'
  | 'evaluation'
  | 'experiments'
  | 'features'
  | 'gallery'
  | 'compare'
  | 'runs';
export const tabs: readonly { id: Tab; label: string }[] = [
  { id: 'dataset', label: 'Dataset' },
  { id: 'train', label: 'Train' },
  { id: 'attack', label: 'Attack' },
  { id: 'evaluation', label: 'Evaluate robustness' },
  { id: 'experiments', label: 'Experiments' },
  { id: 'features', label: 'Features lab' },
  { id: 'gallery', label: 'Gallery' },
  { id: 'compare', label: 'Compare' },
  { id: 'runs', label: 'Runs' },
];

export class AppState {
  readonly errors = new ErrorState();
  readonly backend = new BackendState();
  readonly jobs = new JobsState();
  readonly project: ProjectState;
  readonly catalog: CatalogState;
  readonly dataset: DatasetState;
  readonly train: TrainState;
  readonly attack: AttackState;
  readonly experiments: ExperimentState;
  readonly evaluation: EvaluationState;
  readonly features: FeaturesState;
  readonly gallery: GalleryState;
  readonly compare: CompareState;
  /** Model export and import (Train view, models table). */
  readonly modelIo: ModelIoState;
  /** Renaming runs and models, deleting models (Train view and Runs view tables). */
  readonly edits: CatalogEdits;
  #tab = $state<Tab>('dataset');
  /** False until start() reopened what the address names: till then the address is kept as is. */
  #restored = $state(false);
  #unsubscribe: (() => void)[] = [];

  private readonly api: WorkbenchConnection;

  constructor(api: WorkbenchConnection) {
    this.api = api;
    this.project = new ProjectState(api, this.errors, () => void this.#projectChanged());
    this.catalog = new CatalogState(api, this.errors);
    this.dataset = new DatasetState(api, this.catalog, this.errors);
    this.train = new TrainState(api, this.catalog, this.jobs, this.errors);
    this.attack = new AttackState(api, this.catalog, this.jobs, this.errors);
    this.experiments = new ExperimentState(api, this.catalog, this.jobs, this.errors);
    this.evaluation = new EvaluationState(api, this.catalog, this.jobs, this.errors);
    this.features = new FeaturesState(api, this.catalog, this.jobs, this.errors);
    this.gallery = new GalleryState(api, this.errors);
    this.compare = new CompareState(api, this.catalog, this.errors);
    this.modelIo = new ModelIoState(api, this.catalog, this.jobs, this.errors);
    this.edits = new CatalogEdits(api, this.catalog);
  }

  get tab(): Tab {
    return this.#tab;
  }

  showTab(tab: Tab): void {
    // The banner speaks of what happened on the tab being left.
    if (tab !== this.#tab) this.errors.clear();
    this.#tab = tab;
  }

  /** Opens a run in the view of its kind; resolves once its result is on screen. */
  async openRun(runId: number): Promise<void> {
    const run = this.catalog.run(runId);
    if (!run) return;
    if (run.kind === 'train') {
      this.showTab('train');
      await this.train.showRun(runId);
    } else if (run.kind === 'import' || run.kind === 'export') {
      // Model imports and exports: their models are in the Train view's table.
      this.showTab('train');
    } else if (run.kind === 'evaluation') {
      this.showTab('evaluation');
      await this.evaluation.showRun(runId);
    } else if (run.kind === 'features') {
      this.showTab('features');
      await this.features.showRun(runId);
    } else if (run.kind === 'experiment') {
      this.showTab('experiments');
      await this.experiments.showRun(runId);
    } else {
      this.showTab('attack');
      await this.attack.showRun(runId);
    }
  }

  /** The run on screen in the current tab, if the tab shows one. */
  get shownRunId(): number | null {
    switch (this.#tab) {
      case 'train':
        return this.train.runId;
      case 'attack':
        return this.attack.runId;
      case 'evaluation':
        return this.evaluation.runId;
      case 'experiments':
        return this.experiments.runId;
      case 'features':
        return this.features.runId;
      default:
        return null;
    }
  }

  /** The screen as a link (see screen-link.ts); empty while no project is open. */
  get link(): string {
    return formatScreenLink({
      project: this.project.current?.path ?? null,
      tab: this.#tab,
      run: this.shownRunId,
    });
  }

  /**
   * Connects, then reopens the screen that `link` (the page's address) describes: its project
   * when the workbench has none open, its tab, its run, and the forms as they were left.
   */
  async start(link: ScreenLink, forms: FormMemory | null = null): Promise<void> {
    this.#subscribe();
    try {
      this.backend.setApp(await this.api.call('app.status', {}));
    } catch (error) {
      this.errors.report('Read workbench status', error);
    }
    try {
      await this.project.load();
      await this.#reopen(link);
      const path = this.project.current?.path;
      if (forms && path) forms.restore(path, this.#forms());
    } finally {
      this.#restored = true;
    }
  }

  get restored(): boolean {
    return this.#restored;
  }

  /** Keeps the forms of the open project (a reload brings them back: see FormMemory). */
  remember(forms: FormMemory): void {
    const path = this.project.current?.path;
    if (path) forms.save(path, this.#forms());
  }

  /** Each tab's form, the object whose fields sessionStorage keeps. */
  #forms(): Record<string, object> {
    const experiments = this.experiments;
    return {
      train: this.train.form,
      attack: this.attack.form,
      evaluation: this.evaluation.form,
      features: this.features.form,
      // The chosen experiment type lives on the state, beside its forms.
      experiments: {
        get type() {
          return experiments.type;
        },
        set type(type) {
          experiments.type = type;
        },
        nonRobust: experiments.nonRobust,
        tradeoff: experiments.tradeoff,
        dataEfficiency: experiments.dataEfficiency,
        transfer: experiments.transfer,
        robustDatasets: experiments.robustDatasets,
        robustGaussian: experiments.robustGaussian,
        tsipras: experiments.tsipras,
      },
    };
  }

  async #reopen(link: ScreenLink): Promise<void> {
    if (link.project === null) return;
    const current = this.project.current;
    if (current === null) {
      if (!(await this.project.reopen(link.project))) return;
    } else if (current.path !== link.project) {
      // The workbench serves every page: switching its project here would switch theirs too.
      this.errors.report(
        'Reopen the project in the address',
        `the address names ${link.project}, but the workbench has ${current.path} open, so that one is shown`,
      );
      return;
    }
    await this.catalog.refresh();
    if (link.run !== null) {
      if (this.catalog.run(link.run)) return this.openRun(link.run);
      this.errors.report(
        'Reopen the run in the address',
        `run ${link.run} is no longer in this project (deleted, or the project was replaced)`,
      );
    }
    const tab = tabs.find((candidate) => candidate.id === link.tab);
    if (tab) this.showTab(tab.id);
  }

  stop(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#unsubscribe = [];
  }

  #subscribe(): void {
    const api = this.api;
    this.#unsubscribe = [
      api.onConnection((state) => this.backend.setConnection(state)),
      api.on('backend.changed', (status) => this.backend.setBackend(status)),
      api.on('project.changed', ({ project }) => {
        const before = this.project.current?.path;
        this.project.set(project);
        void this.project.refreshRecent();
        // Same file (renamed, or counts changed): refresh the lists but keep the selections.
        if (project && project.path === before) void this.catalog.refresh();
      }),
      api.on('job.progress', (event) => this.jobs.progress(event)),
      api.on('job.metrics', (event) => this.jobs.metrics(event)),
      api.on('job.frames', (event) => this.features.framesArrived(event.runId, event.frames)),
      api.on('job.finished', (event) => {
        this.jobs.finished(event);
        void this.catalog.refresh();
        void this.train.finished(event.runId);
        void this.attack.finished(event.runId, event.state === 'completed');
        void this.experiments.finished(event.runId, event.state === 'completed');
        void this.evaluation.finished(event.runId, event.state === 'completed');
        void this.features.finished(event.runId, event.state === 'completed');
        if (this.gallery.loaded) void this.gallery.refresh();
        void this.modelIo.finished(event.runId, event.state === 'completed');
      }),
    ];
  }

  /** A different project (or none): forget every view's selection and load the new catalog. */
  async #projectChanged(): Promise<void> {
    this.jobs.clear();
    this.train.reset();
    this.attack.reset();
    this.experiments.reset();
    this.evaluation.reset();
    this.features.reset();
    this.gallery.reset();
    this.compare.reset();
    this.modelIo.reset();
    this.edits.cancelRename();
    this.edits.cancelDelete();
    if (!this.project.current) {
      this.catalog.clear();
      return;
    }
    await this.catalog.refresh();
    this.dataset.reset();
  }
}
