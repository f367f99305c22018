/**
 * The built CLI (out/main/cli.js) in child processes: help lists every command; --json prints
 * one JSON document on stdout; what the CLI runs is in the project the UI opens; mistakes exit
 * non-zero with a message and change nothing.
 */

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ProjectService } from '../../../../src-main/core/project-service';
import { RecentProjects } from '../../../../src-main/core/recent-projects';
import { requireBuiltCli, runCli, type CliRun } from '../../cli-process';

function rfw(home: string, ...args: string[]): Promise<CliRun> {
  return runCli(home, args);
}

describe('rfw', () => {
  let home: string;
  let project: string;

  beforeAll(() => {
    requireBuiltCli();
    home = mkdtempSync(join(tmpdir(), 'rfw-cli-'));
    project = join(home, 'p.rfw');
  });

  it('lists every command', async () => {
    const { code, stdout } = await rfw(home, 'help');
    expect(code).toBe(0);
    for (const command of [
      'demo',
      'list',
      'import',
      'export',
      'train',
      'attack',
      'eval',
      'experiment',
      'features',
      'bench',
    ]) {
      expect(stdout).toContain(`rfw ${command} `);
    }
  });

  it('creates, trains with --json, and the run and model are in the project the UI opens', async () => {
    expect((await rfw(home, 'demo', '--project', project)).code).toBe(0);
    const trained = await rfw(
      home,
      'train',
      '--project',
      project,
      '--limit',
      '256',
      '--epochs',
      '1',
      '--json',
    );
    expect(trained.code).toBe(0);
    const output = JSON.parse(trained.stdout) as {
      runId: number;
      state: string;
      model: { id: number };
    };
    expect(output.state).toBe('completed');
    // Progress went to stderr, so stdout held only the document.
    expect(trained.stderr).toContain('training run');
    const service = new ProjectService(
      home,
      new RecentProjects(join(home, 'recent.json')),
      () => {},
    );
    const store = service.open(project) && service.requireCurrent();
    expect(store.runs.get(output.runId).status).toBe('completed');
    expect(store.models.get(output.model.id).trainingRunId).toBe(output.runId);
    // The other way round: what the workbench's core writes, `rfw list` sees.
    store.datasets.insert({
      name: 'made in the UI',
      imageShape: [2, 2, 1],
      classNames: ['a', 'b'],
      source: 'test',
      split: { method: 'test', seed: 0, train: 1, test: 1 },
      pixels: new Uint8Array(8),
      labels: Int32Array.from([0, 1]),
      splits: Uint8Array.from([0, 1]),
    });
    service.close();
    const listed = await rfw(home, 'list', '--project', project, '--json');
    expect(listed.code).toBe(0);
    const contents = JSON.parse(listed.stdout) as {
      datasets: { name: string }[];
      models: { id: number }[];
      runs: { id: number; kind: string }[];
    };
    expect(contents.datasets.map((d) => d.name)).toContain('made in the UI');
    expect(contents.models.map((m) => m.id)).toContain(output.model.id);
    expect(contents.runs).toContainEqual(
      expect.objectContaining({ id: output.runId, kind: 'train' }),
    );
  }, 120_000);

  it('exports a model as a tfjs layers model and imports it back for a dataset', async () => {
    const folder = join(home, 'exported');
    const exported = await rfw(
      home,
      'export',
      '--project',
      project,
      '--model',
      '1',
      '--format',
      'tfjs-layers',
      '--to',
      folder,
      '--json',
    );
    expect(exported.code).toBe(0);
    const files = (JSON.parse(exported.stdout) as { files: string[] }).files;
    expect(files).toEqual([join(folder, 'model.json'), join(folder, 'weights.bin')]);
    const again = await rfw(
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
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('is not empty');

    const imported = await rfw(
      home,
      'import',
      '--project',
      project,
      '--format',
      'tfjs-layers',
      '--path',
      join(folder, 'model.json'),
      '--dataset',
      '1',
      '--name',
      'round trip',
      '--input-range',
      '0,1',
      '--json',
    );
    expect(imported.code).toBe(0);
    const output = JSON.parse(imported.stdout) as {
      state: string;
      model: { name: string; architecture: string };
      notes: string[];
    };
    expect(output.state).toBe('completed');
    expect(output.model).toMatchObject({ name: 'round trip', architecture: 'tfjs-layers' });
    expect(output.notes.length).toBeGreaterThan(0);
    const badRange = await rfw(
      home,
      'import',
      '--project',
      project,
      '--format',
      'tfjs-layers',
      '--path',
      join(folder, 'model.json'),
      '--dataset',
      '1',
      '--input-range',
      '255',
    );
    expect(badRange.code).not.toBe(0);
    expect(badRange.stderr).toContain('--input-range must be two numbers');
  }, 120_000);

  it('runs a features view with the scaled defaults and stores it for the UI', async () => {
    const models = JSON.parse((await rfw(home, 'list', '--project', project, '--json')).stdout) as {
      models: { id: number; architecture: string }[];
    };
    const model = models.models.find((m) => m.architecture !== 'tfjs-layers');
    const viewed = await rfw(
      home,
      'features',
      'counterfactual',
      '--project',
      project,
      '--models',
      String(model?.id),
      '--images',
      '9000',
      '--target',
      '7',
      '--steps',
      '4',
      '--json',
    );
    expect(viewed.code).toBe(0);
    const run = JSON.parse(viewed.stdout) as {
      config: { epsilon: number; stepSize: number; imageIndices: number[] };
      result: { panels: { scrubBy: string }[]; table: { rows: unknown[][] } };
    };
    // ε and the step size are the papers' (60 and 1 at 224²·3), scaled to 28×28×1.
    expect(run.config).toMatchObject({ epsilon: 4.3, stepSize: 0.072, imageIndices: [9000] });
    expect(run.result.panels[0]?.scrubBy).toBe('L2 change');
    expect(run.result.table.rows).toHaveLength(1);
    const badMode = await rfw(
      home,
      'features',
      'saliency',
      '--project',
      project,
      '--models',
      String(model?.id),
      '--images',
      '9000',
      '--randomization',
      'sideways',
    );
    expect(badMode.code).not.toBe(0);
    expect(badMode.stderr).toMatch(/randomizationMode.*"full".*"cascading"|full.*cascading/s);
    const unknown = await rfw(home, 'features', 'dreams', '--project', project);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/name the view: rfw features saliency\|inversion/);
  }, 120_000);

  it('refuses an option out of range or missing in one line, and changes nothing', async () => {
    const runsBefore = await rfw(home, 'list', '--project', project, '--what', 'runs', '--json');
    const refused = async (expected: string | RegExp, ...argv: string[]) => {
      const outcome = await rfw(home, ...argv, '--project', project);
      expect(outcome.code).toBe(2);
      expect(outcome.stderr.trim().split('\n')).toHaveLength(1);
      expect(outcome.stderr).toMatch(expected);
    };
    await refused(
      /^error: --count must be an integer from 1 to 2000 \(the test split has 2000 images; got 999999999\)$/m,
      'attack',
      '--model',
      '1',
      '--count',
      '999999999',
    );
    await refused(
      '--eps must be a number in (0, 1] for linf',
      'attack',
      '--model',
      '1',
      '--eps',
      '1e30',
    );
    await refused(
      '--eps must be a number in (0, 28] for l2',
      'train',
      '--robust',
      'l2',
      '--eps',
      '30',
    );
    await refused('--target CLASS is required', 'features', 'counterfactual', '--models', '1');
    await refused(
      /--arch must be one of small-cnn, madry-cnn, .*\(got "nope"\)/,
      'train',
      '--arch',
      'nope',
    );
    await refused(
      '--steps must be an integer from 1 to 10000 (got 2.5)',
      'eval',
      '--model',
      '1',
      '--steps',
      '2.5',
    );
    await refused('--epochs must be an integer from 1 to 1000 (got 0)', 'train', '--epochs', '0');
    await refused(
      '--target must be an integer from 0 to 9',
      'attack',
      '--model',
      '1',
      '--target',
      '10',
    );
    await refused('--model ID is required', 'eval');
    const runsAfter = await rfw(home, 'list', '--project', project, '--what', 'runs', '--json');
    expect(runsAfter.stdout).toBe(runsBefore.stdout);
  }, 120_000);

  it('exits non-zero with a message for a typo, an unknown experiment or a missing project', async () => {
    const typo = await rfw(home, 'train', '--project', project, '--epohcs', '3');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('unknown option: --epohcs');
    const experiment = await rfw(home, 'experiment', 'nonsense', '--project', project);
    expect(experiment.stderr).toMatch(/name the experiment: rfw experiment non-robust-features\|/);
    const missing = await rfw(home, 'attack', '--model', '1');
    expect(missing.stderr).toContain('--project FILE is required');
  });
});
