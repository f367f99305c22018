/**
 * Artifacts by id, fetched once: scrolling back through a result's images does not fetch them
 * again, and a failed fetch is forgotten so that the next look retries it. A cache, never
 * rendered, so deliberately not reactive.
 */
import type { WorkbenchApi } from '@common/contract';
import type { Artifact } from '@common/run-schemas';

export class ArtifactCache {
  readonly #pending = new Map<number, Promise<Artifact>>();

  constructor(private readonly api: WorkbenchApi) {}

  get(id: number): Promise<Artifact> {
    let pending = this.#pending.get(id);
    if (!pending) {
      pending = this.api.call('artifacts.get', { artifactId: id });
      pending.catch(() => this.#pending.delete(id));
      this.#pending.set(id, pending);
    }
    return pending;
  }

  clear(): void {
    this.#pending.clear();
  }
}
