/**
 * A project open in one workbench process, and the CLI in a second terminal: writers are refused
 * however the path is spelled (symlink, dir/../file), with the lock file named; readers (list,
 * export) open the file read-only alongside the owner and say so.
 */

import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectService } from '../../../../src-main/core/project-service';
import { RecentProjects } from '../../../../src-main/core/recent-projects';
import { lockPathFor } from '../../../../src-main/db/project-lock';
import { requireBuiltCli, runCli, type CliRun } from '../../cli-process';

function rfw(home: string, ...args: string[]): Promise<CliRun> {
  return runCli(home, args, 60000);
}

describe('a project open in another workbench process', () => {
  let home: string;
  let project: string;
  let owner: ProjectService;

  beforeAll(() => {
    requireBuiltCli();
    home = mkdtempSync(join(tmpdir(), 'rfw-shared-'));
    project = join(home, 'p.rfw');
    owner = new ProjectService(home, new RecentProjects(join(home, 'recent.json')), () => {});
    owner.createDemo(project);
    // A run the owner is "running": a second process must not mark it interrupted.
    owner.requireCurrent().runs.insert({
      kind: 'train',
      name: 'live run',
      config: {},
      seed: 1,
      modelId: null,
    });
  });

  afterAll(() => owner.close());

  const runStatuses = () =>
    owner
      .requireCurrent()
      .runs.list()
      .map((r) => r.status);

  it('refuses a writer that reaches it through a symlink, naming the owner and the lock file', async () => {
    const link = join(mkdtempSync(join(tmpdir(), 'rfw-alias-')), 'alias.rfw');
    symlinkSync(project, link);
    const before = runStatuses();
    const refused = await rfw(home, 'train', '--project', link, '--epochs', '1');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`is open in another workbench process (PID ${process.pid}`);
    expect(refused.stderr).toContain(lockPathFor(project));
    expect(runStatuses()).toEqual(before);
  });

  it('refuses a writer that spells the path with dir/../file', async () => {
    mkdirSync(join(home, 'sub'), { recursive: true });
    const spelled = `${dirname(project)}/sub/../p.rfw`;
    const refused = await rfw(home, 'train', '--project', spelled, '--epochs', '1');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`PID ${process.pid}`);
    expect(refused.stderr).toContain(lockPathFor(project));
  });

  it('lets list read it alongside the owner, read-only, and says so', async () => {
    const before = runStatuses();
    const listed = await rfw(home, 'list', '--project', project, '--json');
    expect(listed.stderr).toContain(`opened read-only: ${project} is open in PID ${process.pid}`);
    expect(listed.code).toBe(0);
    const output = JSON.parse(listed.stdout) as { datasets: unknown[]; runs: { name: string }[] };
    expect(output.datasets).toHaveLength(1);
    expect(output.runs.map((r) => r.name)).toEqual(['live run']);
    // Nothing written: the owner's run is still running, and the owner still holds the lock.
    expect(runStatuses()).toEqual(before);
    expect(readFileSync(lockPathFor(project), 'utf8')).toContain(`"pid": ${process.pid}`);
  });

  it('lets a dataset export read it alongside the owner', async () => {
    const folder = join(home, 'exported');
    const exported = await rfw(
      home,
      'export',
      '--project',
      project,
      '--dataset',
      '1',
      '--format',
      'npy',
      '--to',
      folder,
    );
    expect(exported.stderr).toContain('opened read-only');
    expect(exported.code).toBe(0);
    expect(readdirSync(folder).sort()).toContain('test_images.npy');
  });

  it('refuses a model export, which records a run, with a message that says what to do', async () => {
    const folder = join(home, 'model-out');
    const refused = await rfw(
      home,
      'export',
      '--project',
      project,
      '--model',
      '1',
      '--format',
      'npz',
      '--to',
      folder,
    );
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('export the model from that workbench');
    expect(existsSync(folder)).toBe(false);
  });
});
