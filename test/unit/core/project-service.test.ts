import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ProjectSummary } from '../../../src-main/common/project-schemas';
import { ProjectService } from '../../../src-main/core/project-service';
import { RecentProjects } from '../../../src-main/core/recent-projects';

describe('project service', () => {
  let home: string;
  let service: ProjectService;
  let changes: (ProjectSummary | null)[];
  let recent: RecentProjects;

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'rfw-home-'));
    changes = [];
    recent = new RecentProjects(join(home, 'recent.json'));
    service = new ProjectService(home, recent, (project) => changes.push(project));
  });

  it('creates the demo project with the bundled MNIST once, then reopens it', () => {
    const demo = service.openDemo();
    expect(demo.name).toBe('Demo project');
    expect(demo.counts.datasets).toBe(1);
    expect(service.requireCurrent().datasets.list()[0]?.count).toBe(10_000);
    service.close();
    const again = service.openDemo();
    expect(again.path).toBe(demo.path);
    expect(again.counts.datasets).toBe(1);
  });

  it('creates, renames, saves as, closes and remembers recent projects', () => {
    const first = service.create(join(home, 'a'), 'Alpha');
    expect(first.path.endsWith('a.rfw')).toBe(true);
    expect(service.rename('Alpha 2').name).toBe('Alpha 2');
    const copy = service.saveAs(join(home, 'copies', 'b.rfw'));
    expect(copy.name).toBe('Alpha 2');
    expect(service.current?.path).toBe(copy.path);
    expect(existsSync(first.path)).toBe(true);
    service.close();
    expect(service.current).toBeNull();
    expect(recent.list().map((entry) => entry.path)).toEqual([copy.path, first.path]);
    expect(changes.at(-1)).toBeNull();
  });

  it('leaves the open project in place when asked to open something that is not a project', () => {
    const open = service.create(join(home, 'keep.rfw'), 'Keep');
    const bogus = join(home, 'bogus.rfw');
    writeFileSync(bogus, 'not a database at all, but long enough to have a header '.repeat(4));
    expect(() => service.open(bogus)).toThrow(/not a workbench project/);
    expect(() => service.open(join(home, 'missing.rfw'))).toThrow(/does not exist/);
    expect(() => service.saveAs(bogus)).toThrow(/already exists/);
    expect(service.current?.path).toBe(open.path);
    expect(recent.list().map((entry) => entry.path)).toEqual([open.path]);
  });

  it('saves as over the leftovers of a Save As that was killed half-way, and clears them', async () => {
    service.create(join(home, 'source.rfw'), 'Source');
    const folder = join(home, 'copies');
    // What a killed Save As leaves: its half-written temporary file and -journal, named after
    // a process that is gone.
    const gone = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await new Promise((done) => gone.on('exit', done));
    service.saveAs(join(folder, 'first.rfw'));
    const partial = join(folder, `.b.rfw.partial-${gone.pid}`);
    writeFileSync(partial, 'SQLite format 3\u0000 half of a file');
    writeFileSync(`${partial}-journal`, 'journal');
    const copy = service.saveAs(join(folder, 'b.rfw'));
    expect(copy.name).toBe('Source');
    expect(
      readdirSync(folder)
        .filter((name) => name.includes('b.rfw'))
        .sort(),
    ).toEqual(['b.rfw', 'b.rfw-shm', 'b.rfw-wal', 'b.rfw.lock']);
  });

  it('says what to do when no project is open', () => {
    expect(() => service.rename('x')).toThrow('no project is open: open or create a project first');
  });
});
