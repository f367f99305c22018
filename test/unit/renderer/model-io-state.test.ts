/**
 * The model export dialog's formats (issue 13): a model imported from ONNX exports as ONNX only,
 * and the dialog opened for it selects ONNX and starts that export; any other model is offered
 * every format, ONNX included.
 */
import { describe, expect, it } from 'vitest';
import type { MethodName, WorkbenchApi } from '@common/contract';
import type { ModelSummary } from '@common/model-schemas';
import { CatalogState } from '../../../src-renderer/src/state/catalog-state.svelte';
import { ErrorState } from '../../../src-renderer/src/state/error-state.svelte';
import { JobsState } from '../../../src-renderer/src/state/jobs-state.svelte';
import { ModelIoState } from '../../../src-renderer/src/state/model-io-state.svelte';

const trained: ModelSummary = {
  id: 1,
  name: 'small',
  architecture: 'small-cnn',
  datasetId: 1,
  trainingRunId: 1,
  robust: false,
  createdAt: '2026-01-01T00:00:00Z',
  parameterCount: 10,
  testAccuracy: null,
};
const imported: ModelSummary = {
  ...trained,
  id: 2,
  name: 'resnet',
  architecture: 'onnx',
  trainingRunId: null,
};

function modelIo(calls: { method: MethodName; input: unknown }[]) {
  const api = {
    call: (method: MethodName, input: unknown) => {
      calls.push({ method, input });
      if (method === 'jobs.exportModel') return Promise.resolve({ jobId: 'job', runId: 7 });
      if (method === 'runs.list') return Promise.resolve([]);
      return Promise.reject(new Error(`unexpected ${method}`));
    },
    on: () => () => {},
  } as unknown as WorkbenchApi;
  const errors = new ErrorState();
  return new ModelIoState(api, new CatalogState(api, errors), new JobsState(), errors);
}

describe('ModelIoState export formats', () => {
  it('offers a trained model every format and keeps the chosen one', () => {
    const io = modelIo([]);
    io.showExport(trained);
    expect(io.exportFormats).toEqual(['npz', 'tfjs-layers', 'onnx']);
    expect(io.exportForm.format).toBe('npz');
  });

  it('offers a model imported from ONNX only ONNX, selects it, and exports as ONNX', async () => {
    const calls: { method: MethodName; input: unknown }[] = [];
    const io = modelIo(calls);
    io.showExport(trained);
    io.exportForm.format = 'tfjs-layers';
    io.showExport(imported);
    expect(io.exportFormats).toEqual(['onnx']);
    expect(io.exportForm.format).toBe('onnx');
    io.exportForm.folder = '/tmp/resnet-onnx';
    await io.startExport();
    expect(calls[0]).toEqual({
      method: 'jobs.exportModel',
      input: { modelId: 2, format: 'onnx', folder: '/tmp/resnet-onnx' },
    });
    expect(io.exported.error).toBeNull();

    // Back to the trained model: ONNX is one of its formats, so the choice stays.
    io.showExport(trained);
    expect(io.exportForm.format).toBe('onnx');
  });
});
