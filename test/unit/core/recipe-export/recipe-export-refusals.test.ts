/**
 * `rfw export --recipe` refuses what it cannot export with a message that says why, and then
 * has written nothing: no target folder (or the existing one unchanged), no temporary folder
 * beside it, no run in the project.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli, runCli } from '../../cli-process';
import { exportRecipe, recipeConfig } from './recipe-fixture';

describe('rfw export --recipe: refusals', () => {
  let home = '';
  let project = '';
  let exports = '';

  const rfw = (...args: string[]) => runCli(home, ['export', '--project', project, ...args]);
  const runCount = async () => {
    const listed = await runCli(home, ['list', '--project', project, '--json']);
    return (JSON.parse(listed.stdout) as { runs: unknown[] }).runs.length;
  };

  beforeAll(async () => {
    requireBuiltCli();
    home = mkdtempSync(join(tmpdir(), 'rfw-recipe-refusals-'));
    project = join(home, 'p.rfw');
    exports = join(home, 'exports');
    mkdirSync(exports);
    expect((await runCli(home, ['demo', '--project', project])).code).toBe(0);
  });
  afterAll(() => {
    if (home !== '') rmSync(home, { recursive: true, force: true });
  });

  it('names the recipe form in its help', async () => {
    const { stdout } = await runCli(home, ['help']);
    expect(stdout).toContain('--recipe RUN|--training-config FILE --format pytorch --to DIR');
  });

  it('refuses an unknown run', async () => {
    const target = join(exports, 'unknown');
    const refused = await rfw('--recipe', '99', '--format', 'pytorch', '--to', target);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('there is no run 99 in this project');
    expect(readdirSync(exports)).toEqual([]);
    expect(await runCount()).toBe(0);
  });

  it('refuses a run that is not a training run', async () => {
    // A recipe export is itself a run (kind 'export'): the one non-training run at hand.
    const first = join(exports, 'first');
    const made = await exportRecipe(home, project, recipeConfig({ modelName: 'first' }), first);
    expect(made.code, made.stderr).toBe(0);
    const exportRun = (JSON.parse(made.stdout) as { runId: number }).runId;
    const before = await runCount();
    const target = join(exports, 'other-kind');
    const refused = await rfw('--recipe', String(exportRun), '--format', 'pytorch', '--to', target);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(
      `run ${exportRun} is an export run, not a training run: a recipe is exported from a training run`,
    );
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(exports)).toEqual(['first']);
    expect(await runCount()).toBe(before);
  });

  it('refuses a folder that is not empty, and leaves it as it was', async () => {
    const target = join(exports, 'busy');
    mkdirSync(target);
    writeFileSync(join(target, 'notes.txt'), 'mine');
    const before = await runCount();
    const file = join(home, 'config.json');
    writeFileSync(file, JSON.stringify(recipeConfig({})));
    const refused = await rfw('--training-config', file, '--format', 'pytorch', '--to', target);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`${target} is not empty: choose a new or empty folder`);
    expect(readdirSync(target)).toEqual(['notes.txt']);
    expect(readdirSync(exports).sort()).toEqual(['busy', 'first']);
    expect(await runCount()).toBe(before);
  });

  it('refuses a training config that is not one, and an unknown format', async () => {
    const file = join(home, 'broken.json');
    writeFileSync(file, JSON.stringify({ ...recipeConfig({}), epochs: 0 }));
    const target = join(exports, 'never');
    const broken = await rfw('--training-config', file, '--format', 'pytorch', '--to', target);
    expect(broken.code).not.toBe(0);
    expect(broken.stderr).toMatch(/epochs/);
    const format = await rfw('--recipe', '1', '--format', 'onnx', '--to', target);
    expect(format.code).not.toBe(0);
    expect(format.stderr).toMatch(/pytorch/);
    expect(existsSync(target)).toBe(false);
  });
});
