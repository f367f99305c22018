/**
 * The list of recently opened projects, kept in a small JSON file in the workbench's home
 * folder. Written atomically (temporary file + rename) so a kill mid-write never loses the list.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { RecentProject } from '../common/project-schemas';

const maxRecent = 12;

export class RecentProjects {
  constructor(private readonly file: string) {}

  list(): RecentProject[] {
    if (!existsSync(this.file)) return [];
    try {
      const parsed = z.array(RecentProject).safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
      return parsed.success ? parsed.data.filter((entry) => existsSync(entry.path)) : [];
    } catch {
      return [];
    }
  }

  remember(path: string, name: string): void {
    const entries = this.list().filter((entry) => entry.path !== path);
    entries.unshift({ path, name, openedAt: new Date().toISOString() });
    this.write(entries.slice(0, maxRecent));
  }

  forget(path: string): void {
    this.write(this.list().filter((entry) => entry.path !== path));
  }

  private write(entries: RecentProject[]): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(entries, null, 2));
    renameSync(temporary, this.file);
  }
}
