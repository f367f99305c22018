/**
 * The Attack view: the attack form, the job started from it, and the result shown (the
 * finished job's, or a past attack run chosen from the list). Artifacts are cached by id so
 * that scrolling back through the examples does not fetch them again.
 */
import type { WorkbenchApi } from '@common/contract';
import type {
  Artifact,
  AttackConfig,
  AttackExample,
  AttackLoss,
  AttackMethod,
  AttackResult,
} from '@common/schemas';
import { attackDefaults } from '@common/attack-defaults';
import type { CatalogState } from './catalog-state.svelte';
import type { ErrorState } from './error-state.svelte';
import type { JobsState } from './jobs-state.svelte';
import { ArtifactCache } from './artifact-cache';
import { atField } from '../lib/field-issues';
import { PerturbationForm } from './perturbation-form.svelte';
import { RunView } from './run-view.svelte';

export type ImageChoice = 'first' | 'indices';

/** How many example rows are shown before "Show more". */
const examplesPerPage = 20;

export class AttackForm {
  // Bound directly by the inputs: these are the form's own fields.
  modelId = $state<number | null>(null);
  imageChoice = $state<ImageChoice>('first');
  /** The first N test-split images. */
  count = $state<number | null>(attackDefaults.count);
  /** Explicit positions in the test split (0 is its first test image), comma-separated. */
  indicesText = $state('0, 1, 2, 3');
  method = $state<AttackMethod>(attackDefaults.method);
  /** FGSM/PGD only. */
  loss = $state<AttackLoss>(attackDefaults.loss);
  restarts = $state<number | null>(attackDefaults.restarts);
  targeted = $state(false);
  targetClass = $state<number>(0);
  seed = $state<number | null>(attackDefaults.seed);
  /** APGD-T: target classes. */
  apgdTargets = $state<number | null>(attackDefaults.apgdTargets);
  /** Square: queries per image and p_init. */
  squareQueries = $state<number | null>(attackDefaults.squareQueries);
  squareInitialFraction = $state<number | null>(attackDefaults.squareInitialFraction);
  readonly perturbation = new PerturbationForm({
    ...attackDefaults.threatModels,
    steps: attackDefaults.steps,
    randomStart: attackDefaults.randomStart,
  });

  /** FGSM and PGD take a loss choice and a target; the others bring their own. */
  get gradientLoop(): boolean {
    return this.method === 'fgsm' || this.method === 'pgd';
  }
  get apgd(): boolean {
    return this.method === 'apgd-ce' || this.method === 'apgd-t';
  }

  /**
   * Switching the method keeps the form valid for it: APGD gets its paper's 100 iterations (in
   * `steps`), Square L∞, and the methods without a loss choice or a target lose theirs.
   */
  chooseMethod(method: AttackMethod): void {
    const wasApgd = this.apgd;
    this.method = method;
    if (this.apgd && !wasApgd) this.perturbation.steps = attackDefaults.apgdIterations;
    if (!this.apgd && wasApgd && method === 'pgd') this.perturbation.steps = attackDefaults.steps;
    if (!this.gradientLoop) {
      this.loss = 'cross-entropy';
      this.targeted = false;
    }
    const constraint = this.perturbation.constraint;
    if (method === 'square' && constraint === 'unconstrained')
      this.perturbation.chooseConstraint('linf');
    if (this.apgd && constraint === 'unconstrained') this.perturbation.chooseConstraint('linf');
  }

  /** The losses that make sense for the current direction (targeted or not). */
  get losses(): readonly AttackLoss[] {
    return this.targeted
      ? ['cross-entropy', 'cw-margin', 'dlr-targeted']
      : ['cross-entropy', 'cw-margin', 'dlr'];
  }

  setTargeted(targeted: boolean): void {
    this.targeted = targeted;
    if (!this.losses.includes(this.loss)) this.loss = 'cross-entropy';
  }

  /**
   * Fills the form with a recorded attack, so that the run on screen can be rerun or varied. The
   * form counts test images; a run that counted dataset positions (saved before the choice
   * existed) gives the test positions of its test images, and its training images are left out
   * (the results flag them).
   */
  load(config: AttackConfig, examples: readonly AttackExample[]): void {
    this.modelId = config.modelId;
    this.imageChoice = 'indices';
    const positions =
      config.indexSpace === 'test'
        ? config.indices
        : examples.flatMap((e) =>
            e.split === 'test' && e.splitPosition !== undefined ? [e.splitPosition] : [],
          );
    if (positions.length > 0) this.indicesText = positions.join(', ');
    this.method = config.method;
    this.loss = config.loss ?? attackDefaults.loss;
    this.restarts = config.restarts;
    this.targeted = config.targetClass !== null;
    this.targetClass = config.targetClass ?? 0;
    this.seed = config.seed;
    this.apgdTargets = config.apgdTargets ?? attackDefaults.apgdTargets;
    this.squareQueries = config.squareQueries ?? attackDefaults.squareQueries;
    this.squareInitialFraction =
      config.squareInitialFraction ?? attackDefaults.squareInitialFraction;
    this.perturbation.load(config.perturbation);
  }
}

/** Parses "1, 2,3" into indices; a token that is not a whole number is named in the error. */
export function parseIndices(text: string): number[] {
  const tokens = text
    .split(/[\s,]+/)
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
  return tokens.map((token) => {
    if (!/^-?\d+$/.test(token))
      throw new Error(`“${token}” is not an image index (a whole number)`);
    return Number(token);
  });
}

/** The test positions 0 … count − 1 (the core refuses positions past the test split). */
export function firstPositions(count: number): number[] {
  if (!Number.isInteger(count) || count < 1) {
    throw new Error('the number of test images must be a whole number of at least 1');
  }
  return Array.from({ length: count }, (_, position) => position);
}

export class AttackState extends RunView<AttackResult> {
  readonly form = new AttackForm();
  #shown = $state(examplesPerPage);
  readonly #artifacts: ArtifactCache;

  constructor(api: WorkbenchApi, catalog: CatalogState, jobs: JobsState, errors: ErrorState) {
    super(api, catalog, jobs, errors, {
      kind: 'attack',
      noun: 'attack',
      load: (runId) => api.call('runs.attackResult', { runId }),
      loaded: (result) => this.form.load(result.config, result.examples),
    });
    this.#artifacts = new ArtifactCache(api);
  }

  /** The examples currently rendered (the first `shown` of the result). */
  get shownExamples(): AttackResult['examples'] {
    return this.result?.examples.slice(0, this.#shown) ?? [];
  }
  get hiddenCount(): number {
    return Math.max(0, (this.result?.examples.length ?? 0) - this.#shown);
  }

  showMore(): void {
    this.#shown += examplesPerPage;
  }

  className(label: number): string {
    return this.catalog.className(this.result?.config.datasetId, label);
  }

  artifact(id: number): Promise<Artifact> {
    return this.#artifacts.get(id);
  }

  start(): Promise<void> {
    return this.startWith(async () => this.api.call('jobs.startAttack', this.#config()));
  }

  /** Shows an attack run, from its first page of examples. */
  override showRun(runId: number): Promise<void> {
    this.#shown = examplesPerPage;
    return super.showRun(runId);
  }

  reset(): void {
    this.clearRun();
    this.#artifacts.clear();
    this.form.modelId = null;
  }

  #config(): AttackConfig {
    const form = this.form;
    const model = this.catalog.model(form.modelId) ?? this.catalog.models[0];
    if (!model) throw new Error('train a model first: there is no model to attack');
    // Both choices count test images, as the form's "Images (test split)" says.
    const indices = atField('indices', () =>
      form.imageChoice === 'first'
        ? firstPositions(form.count ?? Number.NaN)
        : parseIndices(form.indicesText),
    );
    return {
      modelId: model.id,
      datasetId: model.datasetId,
      indices,
      indexSpace: 'test',
      method: form.method,
      perturbation: form.perturbation.toConfig(),
      restarts: form.restarts ?? Number.NaN,
      targetClass: form.targeted && form.gradientLoop ? form.targetClass : null,
      seed: form.seed ?? 0,
      loss: form.gradientLoop ? form.loss : 'cross-entropy',
      // Only the method's own settings; the workbench records the defaults of the others.
      ...(form.method === 'apgd-t' ? { apgdTargets: form.apgdTargets ?? Number.NaN } : {}),
      ...(form.method === 'square'
        ? {
            squareQueries: form.squareQueries ?? Number.NaN,
            squareInitialFraction: form.squareInitialFraction ?? Number.NaN,
          }
        : {}),
    };
  }
}
