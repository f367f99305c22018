/**
 * One column of "Two runs side by side" in the Compare view: any completed attack, evaluation,
 * experiment or features run, shown by the same run panel its own tab uses. Each column gets
 * its own view state (and an empty job list: the runs it shows are finished), so choosing a
 * run here never changes what the other tabs show.
 */
import type { WorkbenchApi } from '@common/contract';
import type { RunKind, RunSummary } from '@common/run-schemas';
import { AttackState } from './attack-state.svelte';
import type { CatalogState } from './catalog-state.svelte';
import type { ErrorState } from './error-state.svelte';
import { EvaluationState } from './evaluation-state.svelte';
import { ExperimentState } from './experiment-state.svelte';
import { FeaturesState } from './features-state.svelte';
import { JobsState } from './jobs-state.svelte';

/** The run kinds a column can show. */
export const comparableKinds: readonly RunKind[] = [
  'attack',
  'evaluation',
  'experiment',
  'features',
];

export type SideView =
  | { kind: 'attack'; state: AttackState }
  | { kind: 'evaluation'; state: EvaluationState }
  | { kind: 'experiment'; state: ExperimentState }
  | { kind: 'features'; state: FeaturesState };

export class CompareSide {
  #view = $state.raw<SideView | null>(null);

  constructor(
    private readonly api: WorkbenchApi,
    private readonly catalog: CatalogState,
    private readonly errors: ErrorState,
  ) {}

  get view(): SideView | null {
    return this.#view;
  }

  get runId(): number | null {
    return this.#view?.state.runId ?? null;
  }

  show(run: RunSummary | undefined): void {
    if (!run) {
      this.#view = null;
      return;
    }
    const view = this.#viewFor(run.kind);
    this.#view = view;
    void view?.state.showRun(run.id);
  }

  #viewFor(kind: RunKind): SideView | null {
    const args = [this.api, this.catalog, new JobsState(), this.errors] as const;
    switch (kind) {
      case 'attack':
        return { kind, state: new AttackState(...args) };
      case 'evaluation':
        return { kind, state: new EvaluationState(...args) };
      case 'experiment':
        return { kind, state: new ExperimentState(...args) };
      case 'features':
        return { kind, state: new FeaturesState(...args) };
      default:
        return null;
    }
  }
}
