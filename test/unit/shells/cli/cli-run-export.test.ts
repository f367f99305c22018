/**
 * `rfw export --run` in a child process (out/main/cli.js, built by `npm run build`): an attack's
 * per-example results as CSV (the images as .npy whatever the format), listed with --json; a run
 * of another kind, an unknown run and an unknown format exit non-zero with the reason and write
 * nothing.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli, runCli } from '../../cli-process';

describe('rfw export --run', () => {
  let home: string;
  let project: string;
  let trainRunId: number;
  let attackRunId: number;

  beforeAll(async () => {
    requireBuiltCli();
    home = mkdtempSync(join(tmpdir(), 'rfw-cli-run-export-'));
    project = join(home, 'p.rfw');
    expect((await runCli(home, ['demo', '--project', project])).code).toBe(0);
    const trained = await runCli(home, [
      'train',
      '--project',
      project,
      '--limit',
      '256',
      '--epochs',
      '1',
      '--json',
    ]);
    const training = JSON.parse(trained.stdout) as { runId: number; model: { id: number } };
    trainRunId = training.runId;
    const attacked = await runCli(home, [
      'attack',
      '--project',
      project,
      '--model',
      String(training.model.id),
      '--count',
      '6',
      '--steps',
      '3',
      '--json',
    ]);
    expect(attacked.code, attacked.stderr).toBe(0);
    attackRunId = (JSON.parse(attacked.stdout) as { runId: number }).runId;
  }, 180_000);

  it('writes an attack as CSV and the images as .npy', async () => {
    const folder = join(home, 'attack-csv');
    const exported = await runCli(home, [
      'export',
      '--project',
      project,
      '--run',
      String(attackRunId),
      '--to',
      folder,
      '--format',
      'csv',
      '--json',
    ]);
    expect(exported.code, exported.stderr).toBe(0);
    const reply = JSON.parse(exported.stdout) as { kind: string; files: string[] };
    expect(reply.kind).toBe('attack');
    expect(reply.files.sort()).toEqual(
      ['adversarial.npy', 'clean.npy', 'examples.csv', 'run.json'].sort(),
    );
    expect(readdirSync(folder).sort()).toEqual(reply.files);
    const lines = readFileSync(join(folder, 'examples.csv'), 'utf8').trimEnd().split('\n');
    expect(lines[0]?.split(',').slice(0, 4)).toEqual([
      'row',
      'dataset_index',
      'test_index',
      'label',
    ]);
    // Six images, the first six of the test split.
    expect(lines).toHaveLength(7);
    expect(lines.slice(1).map((line) => Number(line.split(',')[2]))).toEqual([0, 1, 2, 3, 4, 5]);
  }, 60_000);

  it('refuses another kind of run, an unknown run and an unknown format', async () => {
    const attempt = (run: string, format = 'both') =>
      runCli(home, [
        'export',
        '--project',
        project,
        '--run',
        run,
        '--to',
        join(home, `refused-${run}-${format}`),
        '--format',
        format,
      ]);
    const training = await attempt(String(trainRunId));
    expect(training.code).not.toBe(0);
    expect(training.stderr).toMatch(/is a train run: only attack and evaluation runs/);
    const unknown = await attempt('999');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/no run 999/);
    const format = await attempt(String(attackRunId), 'xlsx');
    expect(format.code).not.toBe(0);
    expect(format.stderr).toMatch(/format/);
    for (const run of [String(trainRunId), '999'])
      expect(existsSync(join(home, `refused-${run}-both`))).toBe(false);
    expect(existsSync(join(home, `refused-${attackRunId}-xlsx`))).toBe(false);
  }, 60_000);
});
