/**
 * The browser shell serving a project file with tampered JSON columns (issue 14 item 6): a call
 * that reads a damaged row fails with the error that names the row and the column, nothing
 * escapes the server, and the same page goes on being served, the other rows included.
 */
import { describe, expect, it } from 'vitest';
import { buildProject, tamper } from '../../core/tampered-project';
import { call, connectPage, useWatchedShell } from './shell-fixture';

describe('browser shell: a project file with tampered JSON columns', () => {
  const watched = useWatchedShell();

  it('fails the calls that read a damaged row, with its name and column, and serves the rest', async () => {
    const project = buildProject();
    tamper(project.path, 'runs', 'result', project.attacks.bad, '{"__proto__": {"x": 1}}');
    tamper(project.path, 'runs', 'config', project.attacks.good, '{"modelId": 1e999}');
    tamper(project.path, 'models', 'input_shape', project.models.bad, '"28x28"');
    const page = await watched.guard(connectPage(watched.shell));
    const send = (id: number, method: string, input: unknown) =>
      watched.guard(call(page, id, method, input));

    expect(await send(1, 'projects.open', { path: project.path })).toMatchObject({ ok: true });
    expect(await send(2, 'runs.attackResult', { runId: project.attacks.bad })).toMatchObject({
      ok: false,
      error: {
        code: 'failed',
        message: `run ${project.attacks.bad}: the project file's runs.result cannot be read: it has a "__proto__" key, which the workbench never writes`,
      },
    });
    expect(await send(3, 'runs.attackResult', { runId: project.attacks.good })).toMatchObject({
      ok: false,
      error: {
        message: `run ${project.attacks.good}: the project file's runs.config cannot be read: it holds a number too large for a float64 (under "modelId")`,
      },
    });

    const runs = await send(4, 'runs.list', {});
    expect(runs).toMatchObject({ ok: true });
    expect((runs['output'] as unknown[]).length).toBe(4);
    const models = await send(5, 'models.list', {});
    expect(models).toMatchObject({
      ok: true,
      output: [
        { id: project.models.good, name: 'good model' },
        {
          id: project.models.bad,
          problem: expect.stringContaining(
            `model ${project.models.bad} "bad model": the project file's models.input_shape cannot be read`,
          ) as unknown,
        },
      ],
    });
    expect(await send(6, 'datasets.list', {})).toMatchObject({ ok: true });
    expect(await send(7, 'gallery.list', {})).toMatchObject({ ok: true, output: [] });
    expect(await send(8, 'projects.current', {})).toMatchObject({
      ok: true,
      output: { name: 'from someone else' },
    });
    page.close();

    // A new page is served too.
    const newcomer = await watched.guard(connectPage(watched.shell));
    expect(await watched.guard(call(newcomer, 1, 'runs.list', {}))).toMatchObject({ ok: true });
    expect(await watched.guard(call(newcomer, 2, 'projects.close', {}))).toMatchObject({
      ok: true,
    });
    newcomer.close();
  });
});
