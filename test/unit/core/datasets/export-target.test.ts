/**
 * Where an export lands: a PNG export killed half-way leaves no half-filled target (a retry to
 * the same folder succeeds), and a folder that cannot be made (under /proc) fails with a reason
 * instead of hanging. Runs the built CLI (out/main/cli.js) in child processes, so the kill is
 * real and a hang is cut off by a timeout.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ProjectService } from '../../../../src-main/core/project-service';
import { RecentProjects } from '../../../../src-main/core/recent-projects';
import { builtCli, requireBuiltCli, runCli, type CliRun } from '../../cli-process';

function rfw(home: string, ...args: string[]): Promise<CliRun> {
  return runCli(home, args, 90000);
}

/** Every file under `folder`, as paths relative to it. */
function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name);
}

describe('dataset export targets', () => {
  let home: string;
  let project: string;

  beforeAll(() => {
    requireBuiltCli();
    home = mkdtempSync(join(tmpdir(), 'rfw-export-target-'));
    project = join(home, 'p.rfw');
    const service = new ProjectService(home, new RecentProjects(join(home, 'r.json')), () => {});
    service.createDemo(project);
    service.close();
  });

  it('a PNG export killed half-way leaves no partial target, and a retry to the same folder succeeds', async () => {
    const target = join(home, 'pngs');
    const args = ['export', '--project', project, '--dataset', '1', '--format', 'png'];
    const child = spawn(process.execPath, [builtCli, ...args, '--to', target], {
      env: { ...process.env, RFW_HOME: home },
      stdio: 'ignore',
    });
    const exited = new Promise((done) => child.on('exit', done));
    const started = Date.now();
    // Kill as soon as some PNG files exist, wherever the export writes them.
    while (
      !readdirSync(home).some((e) => e.includes('pngs') && filesUnder(join(home, e)).length > 20)
    ) {
      if (Date.now() - started > 60_000) throw new Error('the export wrote no PNG files in 60 s');
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill('SIGKILL');
    await exited;
    // The target is absent, or (had the export finished first) complete: never half-filled.
    if (existsSync(target)) expect(filesUnder(target)).toContain('classes.txt');
    else expect(readdirSync(home).some((e) => e.startsWith('.pngs.partial-'))).toBe(true);

    const retry = await rfw(home, ...args, '--to', join(home, 'pngs'));
    expect(retry.stderr).toBe('');
    expect(retry.code).toBe(0);
    expect(filesUnder(target)).toHaveLength(10_001);
    // The killed export's temporary folder was cleared away by the retry.
    expect(readdirSync(home).filter((e) => e.includes('pngs'))).toEqual(['pngs']);
  });

  it('fails with a reason, instead of hanging, for a folder under /proc', async (context) => {
    if (!existsSync('/proc/self')) {
      console.warn('skipped: there is no /proc on this system');
      context.skip();
    }
    const target = '/proc/rfw-no-such-folder/export';
    const result = await rfw(
      home,
      'export',
      '--project',
      project,
      '--dataset',
      '1',
      '--to',
      target,
    );
    expect(result.killed).toBe(false);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`cannot create ${target}`);
  });
});
