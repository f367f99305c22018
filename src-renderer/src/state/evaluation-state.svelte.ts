/**
 * The "Evaluate robustness" view: the evaluation form, the job started from it, and the result
 * shown (the finished job's, or a past evaluation run chosen from the list), with its CSV/JSON
 * export. The form keeps every attack's settings, whether it is ticked or not, so that
 * unticking and ticking an attack again does not lose them.
 */
import type { WorkbenchApi } from '@common/contract';
import type {
  EvaluationAttackConfig,
  EvaluationConfigInput,
  EvaluationConstraint,
  EvaluationMethod,
  EvaluationRun,
} from '@common/evaluation-schemas';
import { evaluationDefaults } from '@common/attack-defaults';
import {
  attackDescriptor,
  defaultOptions,
  methodDescriptors,
} from '@common/attacks/attack-registry';
import type { CatalogState } from './catalog-state.svelte';
import type { ErrorState } from './error-state.svelte';
import type { JobsState } from './jobs-state.svelte';
import { RunView } from './run-view.svelte';
import { atField } from '../lib/field-issues';

/** Each method's settings as the form edits them, by option (null: an emptied field). */
export type AttackSettings = Record<EvaluationMethod, Record<string, number | null>>;

/** The evaluation's methods in the registry's order, with the label of their checkbox. */
export const evaluationMethods: readonly { method: EvaluationMethod; label: string }[] =
  methodDescriptors.map((descriptor) => ({
    method: descriptor.name,
    label: `${descriptor.label}${descriptor.access === 'black-box' ? ' (black-box)' : ''}`,
  }));

/** The form's fields for a method's options: the settings its descriptor shows. */
function settingsOf(options: EvaluationAttackConfig): Record<string, number | null> {
  const values: Record<string, unknown> = options;
  return Object.fromEntries(
    attackDescriptor(options.method).settings.map((setting) => [
      setting.key,
      values[setting.key] as number,
    ]),
  );
}

/** The default ε list for each norm as the field shows it (common/attack-defaults.ts). */
const defaultEpsilons = (constraint: EvaluationConstraint) =>
  evaluationDefaults.epsilons[constraint].join(', ');

/** Parses "0, 0.1 0.2" into numbers; a token that is not a number is named in the error. */
export function parseNumberList(text: string, what: string): number[] {
  const tokens = text
    .split(/[\s,]+/)
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
  if (tokens.length === 0) throw new Error(`give at least one ${what}`);
  return tokens.map((token) => {
    const value = Number(token);
    if (Number.isNaN(value)) throw new Error(`“${token}” is not a number (${what})`);
    return value;
  });
}

export class EvaluationForm {
  // Bound directly by the inputs: these are the form's own fields.
  modelId = $state<number | null>(null);
  count = $state<number | null>(evaluationDefaults.count);
  constraint = $state<EvaluationConstraint>(evaluationDefaults.constraint);
  epsilonsText = $state(defaultEpsilons(evaluationDefaults.constraint));
  /** Which attacks run (settings are kept for all). */
  chosen = $state<Record<EvaluationMethod, boolean>>(
    Object.fromEntries(
      evaluationMethods.map(({ method }) => [
        method,
        (evaluationDefaults.attacks as readonly EvaluationMethod[]).includes(method),
      ]),
    ) as Record<EvaluationMethod, boolean>,
  );
  settings = $state<AttackSettings>(
    Object.fromEntries(
      evaluationMethods.map(({ method }) => [method, settingsOf(defaultOptions(method))]),
    ) as AttackSettings,
  );
  /** Transfer attack source: another model, or null. */
  transferModelId = $state<number | null>(null);
  seed = $state<number | null>(evaluationDefaults.seed);

  /** Switching the norm loads its ε list. */
  chooseConstraint(constraint: EvaluationConstraint): void {
    this.constraint = constraint;
    this.epsilonsText = defaultEpsilons(constraint);
  }

  /** Fills the form with a recorded evaluation, so that it can be rerun or varied. */
  load(config: EvaluationRun['config']): void {
    this.modelId = config.modelId;
    this.count = config.count;
    this.constraint = config.constraint;
    this.epsilonsText = config.epsilons.join(', ');
    this.transferModelId = config.transferModelId;
    this.seed = config.seed;
    for (const { method } of evaluationMethods) this.chosen[method] = false;
    for (const attack of config.attacks) {
      this.chosen[attack.method] = true;
      this.settings[attack.method] = settingsOf(attack);
    }
  }

  /** The chosen attacks with their settings; empty fields go out as NaN to be named. */
  attacks(): EvaluationAttackConfig[] {
    const value = (v: number | null | undefined) => v ?? Number.NaN;
    return evaluationMethods
      .filter(({ method }) => this.chosen[method])
      .map(({ method }) => {
        const settings = this.settings[method];
        // The options the form does not show (PGD's step fraction) go out at their defaults.
        return {
          ...defaultOptions(method),
          ...Object.fromEntries(
            attackDescriptor(method).settings.map((setting) => [
              setting.key,
              value(settings[setting.key]),
            ]),
          ),
        } as EvaluationAttackConfig;
      });
  }
}

export class EvaluationState extends RunView<EvaluationRun> {
  readonly form = new EvaluationForm();

  constructor(api: WorkbenchApi, catalog: CatalogState, jobs: JobsState, errors: ErrorState) {
    super(api, catalog, jobs, errors, {
      kind: 'evaluation',
      noun: 'evaluation',
      load: (runId) => api.call('runs.evaluationResult', { runId }),
      loaded: (run) => this.form.load(run.config),
    });
  }

  /** The shown evaluation's config and result. */
  get evaluation(): EvaluationRun | null {
    return this.result;
  }

  modelName(id: number | null): string {
    if (id === null) return '—';
    return this.catalog.modelName(id);
  }

  /** A class's name in the evaluated model's dataset (its index where the dataset is unknown). */
  className(run: EvaluationRun, label: number): string {
    return this.catalog.className(run.config.datasetId, label);
  }

  start(): Promise<void> {
    return this.startWith(() => this.api.call('jobs.startEvaluation', this.#config()));
  }

  reset(): void {
    this.clearRun();
    this.form.modelId = null;
    this.form.transferModelId = null;
  }

  #config(): EvaluationConfigInput {
    const form = this.form;
    const model = this.catalog.model(form.modelId) ?? this.catalog.models[0];
    if (!model) throw new Error('train a model first: there is no model to evaluate');
    return {
      modelId: model.id,
      datasetId: model.datasetId,
      count: form.count ?? Number.NaN,
      constraint: form.constraint,
      epsilons: atField('epsilons', () => parseNumberList(form.epsilonsText, 'ε')),
      attacks: form.attacks(),
      transferModelId: form.transferModelId,
      seed: form.seed ?? 0,
    };
  }
}
