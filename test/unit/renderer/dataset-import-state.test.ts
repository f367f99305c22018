/** The import dialog starts afresh each time it opens (issue 12 §22). */
import { describe, expect, it } from 'vitest';
import type { MethodName, WorkbenchApi } from '@common/contract';
import { DatasetImportState } from '../../../src-renderer/src/state/dataset-import-state.svelte';
import { ErrorState } from '../../../src-renderer/src/state/error-state.svelte';

/** Answers previewImport with a fixed preview; no other call is expected. */
const api = {
  call: (method: MethodName) =>
    method === 'datasets.previewImport'
      ? Promise.resolve({ ok: true, problems: [], summary: 'ten images' })
      : Promise.reject(new Error(`unexpected ${method}`)),
  on: () => () => {},
} as unknown as WorkbenchApi;

describe('DatasetImportState', () => {
  it('forgets the previous import’s name and preview when opened again', async () => {
    const importer = new DatasetImportState(api, new ErrorState(), () => {});
    importer.show(true);
    importer.form.name = 'first import';
    importer.form.folder = '/data/first';
    await importer.runPreview();
    expect(importer.preview).not.toBeNull();
    importer.show(false);

    importer.show(true);
    expect(importer.form.name).toBe('');
    expect(importer.form.folder).toBe('');
    expect(importer.preview).toBeNull();
    expect(importer.formError).toBeNull();
  });
});
