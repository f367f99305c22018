/** The open project, the recent list and the project actions of the top bar. */
import type { ProjectSummary, RecentProject } from '@common/project-schemas';
import type { WorkbenchApi } from '@common/contract';
import type { ErrorState } from './error-state.svelte';

/** Which project form is unfolded under the top bar. */
export type ProjectForm = 'new' | 'open' | 'rename' | 'saveAs' | null;

export class ProjectState {
  #current = $state.raw<ProjectSummary | null>(null);
  #recent = $state.raw<RecentProject[]>([]);
  #form = $state<ProjectForm>(null);
  #busy = $state(false);
  #checked = $state(false);

  private readonly api: WorkbenchApi;
  private readonly errors: ErrorState;
  private readonly onSwitch: () => void;

  /** `onSwitch` runs whenever a different project (or none) becomes the open one. */
  constructor(api: WorkbenchApi, errors: ErrorState, onSwitch: () => void) {
    this.api = api;
    this.errors = errors;
    this.onSwitch = onSwitch;
  }

  get current(): ProjectSummary | null {
    return this.#current;
  }
  get recent(): readonly RecentProject[] {
    return this.#recent;
  }
  get form(): ProjectForm {
    return this.#form;
  }
  get busy(): boolean {
    return this.#busy;
  }
  /** False until `projects.current` has answered once, so the UI does not flash. */
  get checked(): boolean {
    return this.#checked;
  }

  showForm(form: ProjectForm): void {
    this.#form = this.#form === form ? null : form;
  }

  /** Called with what `projects.current` or a `project.changed` event says. */
  set(project: ProjectSummary | null): void {
    const switched = !this.#checked || project?.path !== this.#current?.path;
    this.#current = project;
    this.#checked = true;
    if (switched) this.onSwitch();
  }

  async load(): Promise<void> {
    try {
      const [current, recent] = await Promise.all([
        this.api.call('projects.current', {}),
        this.api.call('projects.recent', {}),
      ]);
      this.#recent = recent;
      this.set(current);
    } catch (error) {
      this.#checked = true;
      this.errors.report('Load project', error);
    }
  }

  async refreshRecent(): Promise<void> {
    try {
      this.#recent = await this.api.call('projects.recent', {});
    } catch (error) {
      this.errors.report('Load recent projects', error);
    }
  }

  openDemo(): Promise<boolean> {
    return this.#run('Open demo project', () => this.api.call('projects.openDemo', {}));
  }
  create(path: string, name: string): Promise<boolean> {
    return this.#run('New project', () => this.api.call('projects.create', { path, name }));
  }
  open(path: string): Promise<boolean> {
    return this.#run('Open project', () => this.api.call('projects.open', { path }));
  }
  /**
   * Opens the project named in the page's address (after a reload or a restart). When it cannot
   * be opened (moved, deleted, locked), the person is told which file and why, and lands on the
   * project screen to choose another.
   */
  async reopen(path: string): Promise<boolean> {
    this.#busy = true;
    try {
      this.set(await this.api.call('projects.open', { path }));
      void this.refreshRecent();
      return true;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.errors.report(
        'Reopen the project in the address',
        `${path} could not be opened (${reason}). It may have been moved or deleted: open or create a project below.`,
      );
      return false;
    } finally {
      this.#busy = false;
    }
  }
  rename(name: string): Promise<boolean> {
    return this.#run('Rename project', () => this.api.call('projects.rename', { name }));
  }
  saveAs(path: string): Promise<boolean> {
    return this.#run('Save project as', () => this.api.call('projects.saveAs', { path }));
  }
  close(): Promise<boolean> {
    return this.#run('Close project', async () => {
      await this.api.call('projects.close', {});
      return null;
    });
  }

  /** Runs one project action; the new project is also announced by `project.changed`. */
  async #run(context: string, action: () => Promise<ProjectSummary | null>): Promise<boolean> {
    this.#busy = true;
    try {
      this.set(await action());
      this.#form = null;
      void this.refreshRecent();
      return true;
    } catch (error) {
      this.errors.report(context, error);
      return false;
    } finally {
      this.#busy = false;
    }
  }
}
