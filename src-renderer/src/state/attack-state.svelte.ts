/**
 * The Attack view: the attack form, the job started from it, and the result shown (the
 * finished job's, or a past attack run chosen from the list). Artifacts are cached by id so
 * that scrolling back through the examples does not fetch them again.
 */
import type { WorkbenchApi } from '@common/contract';
import type { Artifact } from '@common/run-schemas';
import type {
  AttackConfig,
  AttackExample,
  AttackMethod,
  AttackResult,
} from '@common/attack-schemas';
import type { AttackLoss, ConstraintName } from '@common/attacks/threat-models';
import { attackDefaults } from '@common/attack-defaults';
import {
  attackDescriptor,
  attackJobFieldDefaults,
  attackJobFields,
  methodSteps,
  methodThreatModels,
  type JobFieldName,
  type MethodDescriptor,
} from '@common/attacks/attack-registry';
import type { CatalogState } from './catalog-state.svelte';
import type { ErrorState } from './error-state.svelte';
import type { JobsState } from './jobs-state.svelte';
import { ArtifactCache } from './artifact-cache';
import { atField } from '../lib/field-issues';
import { PerturbationForm, type PerturbationDefaults } from './perturbation-form.svelte';
import { RunView } from './run-view.svelte';

export type ImageChoice = 'first' | 'indices';

/** How many example rows are shown before "Show more". */
const examplesPerPage = 20;

/** The threat-model fields a method starts from: its ε and step size per constraint, its steps. */
function perturbationDefaults(method: AttackMethod): PerturbationDefaults {
  return {
    ...methodThreatModels(method),
    steps: methodSteps(method),
    randomStart: attackDefaults.randomStart,
  };
}

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
  /** Each method's own fields (APGD-T's target classes, Square's queries and p_init), by name. */
  fields = $state<Record<JobFieldName, number | null>>({ ...attackJobFieldDefaults });
  readonly perturbation = new PerturbationForm(perturbationDefaults(attackDefaults.method));
  /** The step count the steps field last started from (40 for PGD, 100 for APGD). */
  #stepsDefault = methodSteps(attackDefaults.method);

  /** The chosen method's descriptor: what the form shows for it. */
  get descriptor(): MethodDescriptor {
    return attackDescriptor(this.method);
  }
  /** FGSM and PGD take a loss choice; the others bring their own. */
  get lossChoice(): boolean {
    return this.descriptor.losses.length > 1;
  }

  /**
   * Switching the method keeps the form valid for it: the steps go to the method's count where it
   * counts differently (APGD: the paper's 100 iterations), the constraint to one it runs under
   * (Square, APGD: L∞ for unconstrained), and a method without a loss choice or a target loses
   * them. Its threat models are what a later switch of the constraint loads.
   */
  chooseMethod(method: AttackMethod): void {
    this.method = method;
    const descriptor = this.descriptor;
    const steps = descriptor.job.steps?.default ?? null;
    // A method that reads no steps (Square) leaves them, and the count they started from, alone.
    if (steps !== null && steps !== this.#stepsDefault) this.perturbation.steps = steps;
    if (steps !== null) this.#stepsDefault = steps;
    if (!descriptor.losses.includes(this.loss)) this.loss = attackDefaults.loss;
    if (!descriptor.targeted) this.targeted = false;
    this.perturbation.useDefaults(perturbationDefaults(method));
    const offered = Object.keys(descriptor.threatModels) as ConstraintName[];
    const first = offered[0];
    if (!offered.includes(this.perturbation.constraint) && first !== undefined)
      this.perturbation.chooseConstraint(first);
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
    for (const field of attackJobFields)
      this.fields[field.name] = config[field.name] ?? field.default;
    this.perturbation.useDefaults(perturbationDefaults(config.method));
    this.perturbation.load(config.perturbation);
    this.#stepsDefault = methodSteps(config.method);
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
      targetClass: form.targeted && form.descriptor.targeted ? form.targetClass : null,
      seed: form.seed ?? 0,
      loss: form.lossChoice ? form.loss : attackDefaults.loss,
      // Only the method's own fields; the workbench records the defaults of the others.
      ...Object.fromEntries(
        form.descriptor.job.fields.map((field) => [
          field.name,
          form.fields[field.name] ?? Number.NaN,
        ]),
      ),
    };
  }
}
