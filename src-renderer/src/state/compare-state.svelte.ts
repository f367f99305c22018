/**
 * The Compare view: evaluation runs whose robust-accuracy curves share one chart, models side by
 * side with their worst-case robust accuracy, a transfer experiment's matrix, and two features
 * runs next to each other. Completed runs never change, so their results are fetched once and
 * kept until another project is opened.
 */
import { untrack } from 'svelte';
import type { WorkbenchApi } from '@common/contract';
import type { EvaluationRun } from '@common/evaluation-schemas';
import type { ExperimentRun, TransferConfig, TransferResult } from '@common/experiment-schemas';
import { TrainingConfig } from '@common/training-schemas';
import type { ModelSummary } from '@common/model-schemas';
import type { RunSummary } from '@common/run-schemas';
import {
  comparedCurves,
  curveOptions,
  epsilonAxisTitle,
  runsShown,
  runsWithout,
  worstCaseChoice,
  type ComparedCurve,
  type CurveChoice,
  type CurveOption,
} from '../components/compare/robustness-curves';
import {
  epsilonColumns,
  modelRows,
  type EpsilonColumn,
  type ModelEvaluation,
  type ModelRow,
  type TrainingThreat,
} from '../components/compare/model-comparison';
import { CompareSide, comparableKinds } from './compare-side.svelte';
import type { CatalogState } from './catalog-state.svelte';
import type { ErrorState } from './error-state.svelte';

export type CompareSection = 'curves' | 'models' | 'transfer' | 'runs';
export const compareSections: readonly { id: CompareSection; label: string }[] = [
  { id: 'curves', label: 'Robustness curves' },
  { id: 'models', label: 'Models' },
  { id: 'transfer', label: 'Transfer matrix' },
  { id: 'runs', label: 'Two runs' },
];

export type Side = 'left' | 'right';

/**
 * Results of completed runs by run id, each fetched once. A project change (clear) bumps the
 * generation, so that a fetch still in flight from the old project is dropped when it lands.
 */
class ResultCache<R> {
  #items = $state.raw<Readonly<Record<number, R>>>({});
  #pending = $state.raw<readonly number[]>([]);
  #generation = 0;

  constructor(
    private readonly load: (runId: number) => Promise<R>,
    private readonly errors: ErrorState,
    /** Names the fetch in error titles: "Load evaluation result". */
    private readonly title: string,
  ) {}

  get(runId: number | null): R | undefined {
    return runId === null ? undefined : this.#items[runId];
  }

  isLoading(runId: number): boolean {
    return this.#pending.includes(runId);
  }

  get anyLoading(): boolean {
    return this.#pending.length > 0;
  }

  /** Fetches a result unless it is here or on its way; safe to call from an effect. */
  async ensure(runId: number): Promise<void> {
    const known = untrack(() => runId in this.#items || this.#pending.includes(runId));
    if (known) return;
    const generation = this.#generation;
    this.#pending = [...untrack(() => this.#pending), runId];
    try {
      const result = await this.load(runId);
      if (generation === this.#generation) this.#items = { ...this.#items, [runId]: result };
    } catch (error) {
      if (generation === this.#generation) this.errors.report(this.title, error);
    } finally {
      if (generation === this.#generation) {
        this.#pending = this.#pending.filter((id) => id !== runId);
      }
    }
  }

  clear(): void {
    this.#generation += 1;
    this.#items = {};
    this.#pending = [];
  }
}

/** A run config's experiment type, read without trusting its shape (configs are unknown). */
function experimentType(config: unknown): unknown {
  return typeof config === 'object' && config !== null && 'type' in config
    ? config.type
    : undefined;
}

export class CompareState {
  #section = $state<CompareSection>('curves');
  /** Ticked evaluation runs, in the order they were ticked (the chart's order). */
  #evaluationIds = $state.raw<readonly number[]>([]);
  /** Which curves of each ticked run the chart shows (robustness-curves.ts CurveChoice). */
  #curveChoice = $state<CurveChoice>(worstCaseChoice);
  /** Ticked models, in the order they were ticked (the table's order). */
  #modelIds = $state.raw<readonly number[]>([]);
  #transferRunId = $state<number | null>(null);
  readonly #columns: Record<Side, CompareSide>;

  readonly #evaluations: ResultCache<EvaluationRun>;
  readonly #experiments: ResultCache<ExperimentRun>;

  private readonly catalog: CatalogState;

  // Computed once per change (the chart, the table and the CSV exports read them).
  readonly #tickedEvaluations = $derived(
    this.#evaluationIds.flatMap((id) => this.#evaluations.get(id) ?? []),
  );
  readonly #curveOptions = $derived(curveOptions(this.#tickedEvaluations));
  readonly #curves = $derived(
    comparedCurves(this.#tickedEvaluations, this.effectiveCurveChoice, (id) => this.modelName(id)),
  );
  readonly #modelColumns = $derived(
    epsilonColumns(this.#modelIds.flatMap((id) => this.#modelEvaluations(id))),
  );
  readonly #modelRows = $derived(
    modelRows(this.tickedModels, this.#modelColumns, {
      dataset: (id) => this.catalog.dataset(id)?.name ?? `dataset #${id}`,
      threat: (model) => this.trainingThreat(model.id),
      evaluations: (id) => this.#modelEvaluations(id),
    }),
  );

  constructor(api: WorkbenchApi, catalog: CatalogState, errors: ErrorState) {
    this.catalog = catalog;
    this.#evaluations = new ResultCache(
      (runId) => api.call('runs.evaluationResult', { runId }),
      errors,
      'Load evaluation result',
    );
    this.#experiments = new ResultCache(
      (runId) => api.call('runs.experimentResult', { runId }),
      errors,
      'Load experiment result',
    );
    this.#columns = {
      left: new CompareSide(api, catalog, errors),
      right: new CompareSide(api, catalog, errors),
    };
  }

  get section(): CompareSection {
    return this.#section;
  }

  showSection(section: CompareSection): void {
    this.#section = section;
  }

  modelName(modelId: number): string {
    return this.catalog.modelName(modelId);
  }

  model(modelId: number): ModelSummary | undefined {
    return this.catalog.model(modelId);
  }

  #completed(kind: RunSummary['kind']): RunSummary[] {
    return this.catalog.runs.filter((run) => run.kind === kind && run.status === 'completed');
  }

  // ── Robustness curves ──────────────────────────────────────────────────────────────────────

  /** Completed evaluation runs, newest first. */
  get evaluationRuns(): readonly RunSummary[] {
    return this.#completed('evaluation');
  }

  isEvaluationTicked(runId: number): boolean {
    return this.#evaluationIds.includes(runId);
  }

  tickEvaluation(runId: number, ticked: boolean): void {
    const others = this.#evaluationIds.filter((id) => id !== runId);
    this.#evaluationIds = ticked ? [...others, runId] : others;
    if (ticked) void this.#evaluations.ensure(runId);
  }

  clearEvaluations(): void {
    this.#evaluationIds = [];
  }

  get tickedEvaluationCount(): number {
    return this.#evaluationIds.length;
  }

  /** The ticked runs whose results have arrived, in ticking order. */
  get tickedEvaluations(): readonly EvaluationRun[] {
    return this.#tickedEvaluations;
  }

  get evaluationsLoading(): boolean {
    return this.#evaluationIds.some((id) => this.#evaluations.isLoading(id));
  }

  get curveOptions(): readonly CurveOption[] {
    return this.#curveOptions;
  }

  chooseCurves(choice: CurveChoice): void {
    this.#curveChoice = choice;
  }

  /** The choice, or the worst case once no ticked run has the chosen attack any more. */
  get effectiveCurveChoice(): CurveChoice {
    const choice = this.#curveChoice;
    return this.curveOptions.some((option) => option.value === choice) ? choice : worstCaseChoice;
  }

  get curves(): readonly ComparedCurve[] {
    return this.#curves;
  }

  /** The x axis's title: the norm of the runs on the chart. */
  get epsilonAxisTitle(): string {
    return epsilonAxisTitle(runsShown(this.tickedEvaluations, this.effectiveCurveChoice));
  }

  /** Ticked runs left off the chart: they have no curve of the chosen attack. */
  get runsWithoutChoice(): number[] {
    return runsWithout(this.tickedEvaluations, this.effectiveCurveChoice);
  }

  // ── Models side by side ────────────────────────────────────────────────────────────────────

  get models(): readonly ModelSummary[] {
    return this.catalog.models;
  }

  isModelTicked(modelId: number): boolean {
    return this.#modelIds.includes(modelId);
  }

  tickModel(modelId: number, ticked: boolean): void {
    const others = this.#modelIds.filter((id) => id !== modelId);
    this.#modelIds = ticked ? [...others, modelId] : others;
    if (ticked) this.loadModelEvaluations();
  }

  clearModels(): void {
    this.#modelIds = [];
  }

  get tickedModels(): readonly ModelSummary[] {
    return this.#modelIds.flatMap((id) => this.catalog.model(id) ?? []);
  }

  #modelEvaluationRuns(modelId: number): RunSummary[] {
    return this.evaluationRuns.filter((run) => run.modelId === modelId);
  }

  /** Fetches the evaluations of the ticked models (also those completed since the last look). */
  loadModelEvaluations(): void {
    for (const modelId of this.#modelIds) {
      for (const run of this.#modelEvaluationRuns(modelId)) void this.#evaluations.ensure(run.id);
    }
  }

  get modelEvaluationsLoading(): boolean {
    return this.#modelIds.some((modelId) =>
      this.#modelEvaluationRuns(modelId).some((run) => this.#evaluations.isLoading(run.id)),
    );
  }

  #modelEvaluations(modelId: number): ModelEvaluation[] {
    return this.#modelEvaluationRuns(modelId).flatMap((run) => {
      const evaluation = this.#evaluations.get(run.id);
      if (!evaluation) return [];
      return [{ ...evaluation, attacks: evaluation.result.curves.map((curve) => curve.attack) }];
    });
  }

  /** The threat model the model's training run config records (null: standard or unknown). */
  trainingThreat(modelId: number): TrainingThreat | null {
    const run = this.catalog.run(this.catalog.model(modelId)?.trainingRunId);
    if (!run || run.kind !== 'train') return null;
    const parsed = TrainingConfig.safeParse(run.config);
    const adversarial = parsed.success ? parsed.data.adversarial : null;
    if (!parsed.success || adversarial === null) return null;
    return {
      constraint: adversarial.constraint,
      epsilon: adversarial.epsilon,
      loss: parsed.data.adversarialLoss,
    };
  }

  get modelColumns(): readonly EpsilonColumn[] {
    return this.#modelColumns;
  }

  get modelRows(): readonly ModelRow[] {
    return this.#modelRows;
  }

  // ── Transfer matrix ────────────────────────────────────────────────────────────────────────

  /** Completed transfer experiments, newest first. */
  get transferRuns(): readonly RunSummary[] {
    return this.#completed('experiment').filter((run) => experimentType(run.config) === 'transfer');
  }

  get transferRunId(): number | null {
    return this.#transferRunId;
  }

  chooseTransfer(runId: number | null): void {
    this.#transferRunId = runId;
    if (runId !== null) void this.#experiments.ensure(runId);
  }

  get transferLoading(): boolean {
    return this.#transferRunId !== null && this.#experiments.isLoading(this.#transferRunId);
  }

  /** The chosen transfer experiment once loaded. */
  get transfer(): { config: TransferConfig; result: TransferResult } | null {
    const run = this.#experiments.get(this.#transferRunId);
    if (run?.config.type !== 'transfer' || run.result.type !== 'transfer') return null;
    return { config: run.config, result: run.result };
  }

  // ── Two runs side by side ──────────────────────────────────────────────────────────────────

  /** Completed attack, evaluation, experiment and features runs, newest first. */
  get comparableRuns(): readonly RunSummary[] {
    return this.catalog.runs.filter(
      (run) => run.status === 'completed' && comparableKinds.includes(run.kind),
    );
  }

  side(side: Side): CompareSide {
    return this.#columns[side];
  }

  chooseSide(side: Side, runId: number | null): void {
    this.#columns[side].show(runId === null ? undefined : this.catalog.run(runId));
  }

  /** Another project was opened: nothing chosen, nothing cached. */
  reset(): void {
    this.#evaluationIds = [];
    this.#curveChoice = worstCaseChoice;
    this.#modelIds = [];
    this.#transferRunId = null;
    this.#columns.left.show(undefined);
    this.#columns.right.show(undefined);
    this.#evaluations.clear();
    this.#experiments.clear();
  }
}
