/**
 * A project file can come from someone else (issue 14 item 6): every JSON column is read through
 * its zod schema, so a malformed or hostile value (wrong types, missing fields, a number beyond
 * float64, a "__proto__" key, text that is not JSON, bytes) gives an error that names the run or
 * model and the column, through the same core calls the shells make, and the other rows still
 * load.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { methods } from '../../../src-main/common/contract';
import type { Workbench } from '../../../src-main/core/workbench';
import {
  attackConfig,
  buildProject,
  engineFreeWorkbench,
  tamper,
  type TamperedProject,
} from './tampered-project';

describe('a project file with tampered JSON columns', () => {
  let project: TamperedProject;
  let workbench: Workbench;

  beforeEach(() => {
    project = buildProject();
    workbench = engineFreeWorkbench(project.home);
  });
  afterEach(() => workbench.dispose());

  const open = () => workbench.handlers['projects.open']({ path: project.path });
  /** A call's output, checked against the contract as a shell would. */
  const output = async <T>(method: keyof typeof methods, value: T | Promise<T>): Promise<T> => {
    methods[method].output.parse(await value);
    return value;
  };

  it('reads the untouched project as written', async () => {
    open();
    const read = await workbench.handlers['runs.attackResult']({ runId: project.attacks.bad });
    expect(read).toMatchObject({
      runId: project.attacks.bad,
      cleanAccuracy: 1,
      robustAccuracy: 0.5,
    });
    expect(read.config).toEqual(attackConfig(project.models.good, project.datasets.good));
    expect((await workbench.handlers['models.list']({})).map((m) => m.problem)).toEqual([
      undefined,
      undefined,
    ]);
    expect(workbench.handlers['runs.display']({ runId: project.attacks.bad })).toEqual({
      colormap: 'viridis',
      opacity: 0.5,
    });
  });

  /** The stored result of a good attack with `change` made to it, as JSON text. */
  const changedResult = (change: Record<string, unknown>) =>
    JSON.stringify({
      config: attackConfig(project.models.good, project.datasets.good),
      cleanAccuracy: 1,
      robustAccuracy: 0.5,
      lossPerStep: [0.1],
      examples: [],
      ...change,
    });

  const hostileResults: [string, () => string, RegExp][] = [
    [
      'a field of the wrong type',
      () => changedResult({ cleanAccuracy: 'high' }),
      /: cleanAccuracy: Invalid input: expected number, received string$/,
    ],
    [
      'a missing field',
      () => changedResult({ examples: undefined }),
      /: examples: Invalid input: expected array, received undefined$/,
    ],
    [
      'a number beyond float64',
      () => changedResult({ lossPerStep: [] }).replace('"lossPerStep":[]', '"lossPerStep":[1e999]'),
      /: it holds a number too large for a float64 \(under "0"\)$/,
    ],
    [
      'a __proto__ key',
      () => changedResult({}).replace('{', '{"__proto__":{"polluted":true},'),
      /: it has a "__proto__" key, which the workbench never writes$/,
    ],
    [
      'NaN, which JSON does not have',
      () => changedResult({}).replace('"cleanAccuracy":1', '"cleanAccuracy":NaN'),
      /: it is not JSON \(/,
    ],
  ];

  it.each(hostileResults)(
    'an attack result with %s fails naming the run and runs.result; the other attack reads',
    async (_case, text, reason) => {
      tamper(project.path, 'runs', 'result', project.attacks.bad, text());
      open();
      const read = () => workbench.handlers['runs.attackResult']({ runId: project.attacks.bad });
      expect(read).toThrow(
        `run ${project.attacks.bad}: the project file's runs.result cannot be read`,
      );
      expect(read).toThrow(reason);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      const good = await output(
        'runs.attackResult',
        workbench.handlers['runs.attackResult']({ runId: project.attacks.good }),
      );
      expect(good.robustAccuracy).toBe(0.5);
      // Everything that does not need the result still works on the damaged run.
      expect(
        (await workbench.handlers['runs.rename']({ runId: project.attacks.bad, name: 'x' })).name,
      ).toBe('x');
      workbench.handlers['notes.set']({
        subjectKind: 'run',
        subjectId: project.attacks.bad,
        body: 'bad',
      });
      expect(await output('runs.list', workbench.handlers['runs.list']({}))).toHaveLength(4);
    },
  );

  it('a result column that holds bytes instead of text fails the same way', () => {
    tamper(project.path, 'runs', 'result', project.attacks.bad, Buffer.from('{}'));
    open();
    expect(() => workbench.handlers['runs.attackResult']({ runId: project.attacks.bad })).toThrow(
      `run ${project.attacks.bad}: the project file's runs.result cannot be read: it holds bytes, not JSON text`,
    );
  });

  it('lists a run whose config cannot be read with the reason, and the others as they were', async () => {
    tamper(project.path, 'runs', 'config', project.attacks.bad, '{"modelId": ');
    open();
    const runs = await output('runs.list', workbench.handlers['runs.list']({}));
    expect(runs).toHaveLength(4);
    const bad = runs.find((run) => run.id === project.attacks.bad);
    expect(bad?.config).toBeNull();
    expect(bad?.error).toMatch(
      new RegExp(
        `^run ${project.attacks.bad}: the project file's runs.config cannot be read: it is not JSON`,
      ),
    );
    const good = runs.find((run) => run.id === project.attacks.good);
    expect(good).toMatchObject({ error: null, config: { modelId: project.models.good } });
    expect(() => workbench.handlers['runs.attackResult']({ runId: project.attacks.bad })).toThrow(
      `run ${project.attacks.bad}: the project file's runs.config cannot be read`,
    );
    // The model's list of dependents walks every config; the unreadable one names nothing.
    expect(workbench.handlers['models.dependents']({ modelId: project.models.good })).toEqual([
      { id: project.attacks.good, kind: 'attack', name: 'good attack' },
    ]);
  });

  it('refuses to resume a training run whose config was tampered with, naming runs.config', () => {
    tamper(project.path, 'runs', 'config', project.training, '{"__proto__": {"isAdmin": true}}');
    open();
    expect(() => workbench.handlers['jobs.resumeTraining']({ runId: project.training })).toThrow(
      `run ${project.training}: the project file's runs.config cannot be read: it has a "__proto__" key`,
    );
    expect(workbench.jobs.list()).toEqual([]);
  });

  it('leaves a features run that cannot be read out of the gallery instead of failing it', async () => {
    tamper(project.path, 'runs', 'result', project.features, '{"panels": "many"}');
    open();
    expect(await output('gallery.list', workbench.handlers['gallery.list']({}))).toEqual([]);
    expect(() => workbench.handlers['runs.featuresResult']({ runId: project.features })).toThrow(
      `run ${project.features}: the project file's runs.`,
    );
  });

  const hostileShapes: [string, string, RegExp][] = [
    ['a dimension of the wrong type', '[2, "2", 1]', /1: Invalid input: expected number/],
    ['a huge dimension', '[2, 1e300, 1]', /1: Too big: expected number to be <=65536/],
    ['too few dimensions', '[2, 2]', /expected array|Too small/],
    ['a __proto__ key', '{"__proto__": [2, 2, 1]}', /a "__proto__" key/],
  ];

  it.each(hostileShapes)(
    'a model input shape with %s: the model is listed with why, a job naming it fails, the other model is fine',
    async (_case, text, reason) => {
      tamper(project.path, 'models', 'input_shape', project.models.bad, text);
      open();
      const models = await output('models.list', workbench.handlers['models.list']({}));
      expect(models.map((m) => [m.id, m.name])).toEqual([
        [project.models.good, 'good model'],
        [project.models.bad, 'bad model'],
      ]);
      const bad = models.find((m) => m.id === project.models.bad);
      expect(bad?.problem).toMatch(
        `model ${project.models.bad} "bad model": the project file's models.input_shape cannot be read`,
      );
      expect(bad?.problem).toMatch(reason);
      expect(models.find((m) => m.id === project.models.good)?.problem).toBeUndefined();
      const start = () =>
        workbench.handlers['jobs.startAttack'](
          attackConfig(project.models.bad, project.datasets.good),
        );
      expect(start).toThrow(
        `model ${project.models.bad} "bad model": the project file's models.input_shape`,
      );
      expect(workbench.jobs.list()).toEqual([]);
      // It can still be renamed, have a note, and be deleted.
      expect(
        workbench.handlers['models.rename']({ modelId: project.models.bad, name: 'renamed' }),
      ).toMatchObject({ name: 'renamed', problem: expect.stringContaining('models.input_shape') });
      workbench.handlers['notes.set']({
        subjectKind: 'model',
        subjectId: project.models.bad,
        body: 'x',
      });
      workbench.handlers['models.delete']({ modelId: project.models.bad });
      expect((await workbench.handlers['models.list']({})).map((m) => m.id)).toEqual([
        project.models.good,
      ]);
    },
  );

  it('an imported-model description with a __proto__ key is refused, naming models.layers', async () => {
    tamper(project.path, 'models', 'layers', project.models.bad, '{"__proto__": {"x": 1}}');
    open();
    const models = await output('models.list', workbench.handlers['models.list']({}));
    expect(models.find((m) => m.id === project.models.bad)?.problem).toMatch(
      /the project file's models.layers cannot be read: it has a "__proto__" key/,
    );
  });

  it('weights whose layout does not match the stored floats are refused, naming both columns', () => {
    tamper(
      project.path,
      'models',
      'weights_layout',
      project.models.bad,
      '[{"name":"w","shape":[1000,1000]}]',
    );
    open();
    const store = workbench.projects.requireCurrent();
    expect(() => store.models.weights(project.models.bad)).toThrow(
      `model ${project.models.bad} "bad model": the project file's models.weights_layout describes 1000000 floats, but models.weights holds 6`,
    );
    expect(store.models.weights(project.models.good)).toHaveLength(1);
  });

  it('a dataset whose class names cannot be read is left out of the list; a job naming it says why', async () => {
    tamper(project.path, 'datasets', 'class_names', project.datasets.bad, '["a", 7]');
    open();
    const datasets = await output('datasets.list', workbench.handlers['datasets.list']({}));
    expect(datasets.map((d) => d.name)).toEqual(['good data']);
    expect(() =>
      workbench.handlers['jobs.startAttack'](
        attackConfig(project.models.good, project.datasets.bad),
      ),
    ).toThrow(
      `dataset ${project.datasets.bad} "bad data": the project file's datasets.class_names cannot be read: 1: Invalid input: expected string, received number`,
    );
    workbench.handlers['datasets.delete']({ datasetId: project.datasets.bad });
  });

  it('a split record with a missing field names datasets.split_info', () => {
    tamper(
      project.path,
      'datasets',
      'split_info',
      project.datasets.bad,
      '{"method": "x", "seed": 1}',
    );
    open();
    expect(() => workbench.projects.requireCurrent().datasets.get(project.datasets.bad)).toThrow(
      /datasets.split_info cannot be read: train: Invalid input: expected number, received undefined/,
    );
  });

  it('an artifact meta that is not JSON fails that artifact only; the runs list still loads', async () => {
    tamper(project.path, 'artifacts', 'meta', project.checkpointArtifact, '{"role": "latest"');
    open();
    const runs = await output('runs.list', workbench.handlers['runs.list']({}));
    expect(runs.find((run) => run.id === project.training)?.hasCheckpoint).toBe(false);
    expect(() =>
      workbench.handlers['artifacts.get']({ artifactId: project.checkpointArtifact }),
    ).toThrow(
      `artifact ${project.checkpointArtifact} of run ${project.training}: the project file's artifacts.meta cannot be read: it is not JSON`,
    );
  });

  it('an artifact shape of the wrong type names artifacts.shape', () => {
    tamper(project.path, 'artifacts', 'shape', project.checkpointArtifact, '[-1]');
    open();
    expect(() =>
      workbench.handlers['artifacts.get']({ artifactId: project.checkpointArtifact }),
    ).toThrow(/artifacts.shape cannot be read: 0: Too small/);
  });

  it('a saved display that cannot be read falls back to none (the defaults)', () => {
    tamper(project.path, 'run_displays', 'settings', project.attacks.bad, '{"colormap": "evil"');
    open();
    expect(workbench.handlers['runs.display']({ runId: project.attacks.bad })).toBeNull();
  });
});
