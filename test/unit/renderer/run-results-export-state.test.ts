/**
 * The "Export results…" dialog's state: it sends the run, folder and format it shows, keeps what
 * the export wrote for the dialog, puts a refusal of the folder under the folder field and any
 * other failure in the dialog, and starts afresh when opened again.
 */
import { describe, expect, it } from 'vitest';
import type { MethodInput, MethodName, WorkbenchApi } from '@common/contract';
import { RunResultsExportState } from '../../../src-renderer/src/state/run-results-export-state.svelte';

/** Records every call; answers runs.exportResults with `answer`. */
function fakeApi(answer: (input: MethodInput<'runs.exportResults'>) => Promise<unknown>) {
  const calls: { method: MethodName; input: unknown }[] = [];
  const api = {
    call: (method: MethodName, input: MethodInput<'runs.exportResults'>) => {
      calls.push({ method, input });
      return method === 'runs.exportResults'
        ? answer(input)
        : Promise.reject(new Error(`unexpected ${method}`));
    },
    on: () => () => {},
  } as unknown as WorkbenchApi;
  return { api, calls };
}

describe('RunResultsExportState', () => {
  it('exports the run to the folder and format on the form, and keeps what it wrote', async () => {
    const { api, calls } = fakeApi((input) =>
      Promise.resolve({
        runId: input.runId,
        kind: 'attack',
        folder: input.folder,
        files: ['run.json', 'examples.csv'],
        summary: `exported attack run ${input.runId}`,
      }),
    );
    const exporter = new RunResultsExportState(api);
    exporter.show(true);
    expect(exporter.form.format).toBe('both');
    exporter.form.folder = '/data/run-4';
    exporter.form.format = 'csv';
    await exporter.write(4);
    expect(calls).toEqual([
      { method: 'runs.exportResults', input: { runId: 4, folder: '/data/run-4', format: 'csv' } },
    ]);
    expect(exporter.written?.summary).toBe('exported attack run 4');
    expect(exporter.formError).toBeNull();
    expect(exporter.writing).toBe(false);
    exporter.show(false);
    exporter.show(true);
    expect(exporter.written).toBeNull();
  });

  it('shows a refused folder under the field and another failure in the dialog', async () => {
    const refusal = Object.assign(new Error('runs.exportResults: a file path is required'), {
      issues: [{ path: ['folder'], message: 'a file path is required' }],
    });
    let failure: Error = refusal;
    const { api } = fakeApi(() => Promise.reject(failure));
    const exporter = new RunResultsExportState(api);
    exporter.show(true);
    const unregister = exporter.fieldErrors.register('folder');
    await exporter.write(4);
    expect(exporter.fieldErrors.message('folder')).toBe('a file path is required');
    expect(exporter.formError).toBeNull();
    unregister();
    failure = new Error('/data/full is not empty: choose a new or empty folder for the export');
    await exporter.write(4);
    expect(exporter.formError).toMatch(/is not empty/);
    expect(exporter.written).toBeNull();
  });
});
