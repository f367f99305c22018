/** One open project: its database and a repository per table. */
import type { ProjectDatabase } from './project-database';
import { ArtifactRepository } from './repositories/artifact-repository';
import { DatasetRepository } from './repositories/dataset-repository';
import { MetricRepository } from './repositories/metric-repository';
import { ModelRepository } from './repositories/model-repository';
import { NoteRepository } from './repositories/note-repository';
import { ProjectMetaRepository } from './repositories/project-meta-repository';
import { RunDisplayRepository } from './repositories/run-display-repository';
import { RunRepository } from './repositories/run-repository';

export class ProjectStore {
  readonly meta: ProjectMetaRepository;
  readonly datasets: DatasetRepository;
  readonly models: ModelRepository;
  readonly runs: RunRepository;
  readonly metrics: MetricRepository;
  readonly artifacts: ArtifactRepository;
  readonly notes: NoteRepository;
  readonly displays: RunDisplayRepository;

  constructor(
    readonly path: string,
    readonly db: ProjectDatabase,
    /** Releases the project's lock file (see project-lock.ts); a no-op where none was taken. */
    private readonly releaseLock: () => void = () => {},
  ) {
    this.meta = new ProjectMetaRepository(db);
    this.datasets = new DatasetRepository(db);
    this.models = new ModelRepository(db);
    this.runs = new RunRepository(db);
    this.metrics = new MetricRepository(db);
    this.artifacts = new ArtifactRepository(db);
    this.notes = new NoteRepository(db);
    this.displays = new RunDisplayRepository(db);
  }

  close(): void {
    try {
      this.db.close();
    } finally {
      this.releaseLock();
    }
  }
}
