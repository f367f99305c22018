/**
 * Kill -9 in the middle of a training run: the project file must open, the run must be marked
 * interrupted, and everything written before it (datasets, earlier runs, metrics so far) intact.
 * Runs the built CLI (out/main/cli.js) in a child process so that the kill is real.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ProjectService } from '../../../src-main/core/project-service';
import { RecentProjects } from '../../../src-main/core/recent-projects';

const cli = resolve('out/main/cli.js');

function metricCount(path: string): number {
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT COUNT(*) AS n FROM metrics').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

describe('a training process killed with SIGKILL', () => {
  it('leaves a project that opens, with the run marked interrupted and earlier data intact', async () => {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first`);
    const home = mkdtempSync(join(tmpdir(), 'rfw-kill-'));
    const project = join(home, 'killed.rfw');
    const service = new ProjectService(
      home,
      new RecentProjects(join(home, 'recent.json')),
      () => {},
    );
    service.createDemo(project);
    service.close();

    const child = spawn(
      process.execPath,
      [cli, 'train', '--project', project, '--epochs', '20', '--batch', '32'],
      {
        env: { ...process.env, RFW_HOME: home },
        stdio: 'ignore',
      },
    );
    const exited = new Promise<NodeJS.Signals | null>((done) =>
      child.on('exit', (_code, signal) => done(signal)),
    );
    const started = Date.now();
    while (metricCount(project) < 3) {
      if (Date.now() - started > 90_000) throw new Error('training wrote no metrics in 90 s');
      await new Promise((r) => setTimeout(r, 200));
    }
    const metricsBeforeKill = metricCount(project);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const reopened = service.open(project);
    expect(reopened.counts.datasets).toBe(1);
    const store = service.requireCurrent();
    expect(store.datasets.list()[0]?.count).toBe(10_000);
    const [run] = store.runs.list();
    expect(run?.status).toBe('interrupted');
    expect(run?.error).toContain('stopped before this run finished');
    expect(store.metrics.forRun(run?.id ?? 0).length).toBeGreaterThanOrEqual(metricsBeforeKill);
    expect(store.db.pragma('quick_check', { simple: true })).toBe('ok');
    service.close();
  });
});
