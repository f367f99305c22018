import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createProjectDatabase } from '../../../../src-main/db/project-database';
import { ProjectStore } from '../../../../src-main/db/project-store';
import {
  chunkSize,
  type NewDataset,
} from '../../../../src-main/db/repositories/dataset-repository';

function dataset(count: number, dtype: 'uint8' | 'float32'): NewDataset {
  const size = 4 * 4 * 1;
  const pixels = dtype === 'uint8' ? new Uint8Array(count * size) : new Float32Array(count * size);
  for (let i = 0; i < pixels.length; i += 1)
    pixels[i] = dtype === 'uint8' ? i % 251 : (i % 1000) / 1000 + 1e-7;
  return {
    name: `d-${dtype}`,
    imageShape: [4, 4, 1],
    classNames: ['a', 'b', 'c'],
    source: 'test',
    split: { method: 'test', seed: 1, train: count - 2, test: 2 },
    pixels,
    labels: Int32Array.from({ length: count }, (_, i) => i % 3),
    splits: Uint8Array.from({ length: count }, (_, i) => (i >= count - 2 ? 1 : 0)),
  };
}

describe('repositories', () => {
  let store: ProjectStore;
  beforeEach(() => {
    const path = join(mkdtempSync(join(tmpdir(), 'rfw-repo-')), 'p.rfw');
    store = new ProjectStore(path, createProjectDatabase(path, 'P'));
  });

  it('stores datasets in chunks and reads any images back in the order asked', () => {
    const count = chunkSize * 2 + 17;
    const input = dataset(count, 'uint8');
    const id = store.datasets.insert(input);
    const record = store.datasets.get(id);
    expect(record.count).toBe(count);
    expect(Array.from(record.labels.slice(0, 4))).toEqual([0, 1, 2, 0]);
    const indices = [count - 1, 0, chunkSize, 5];
    const images = store.datasets.readImages(record, indices);
    indices.forEach((index, n) => {
      expect(Array.from(images.subarray(n * 16, (n + 1) * 16))).toEqual(
        Array.from(input.pixels.subarray(index * 16, (index + 1) * 16)),
      );
    });
  });

  it('keeps float32 datasets exactly (no silent quantization)', () => {
    const input = dataset(10, 'float32');
    const record = store.datasets.get(store.datasets.insert(input));
    expect(record.dtype).toBe('float32');
    const images = store.datasets.readImages(record, [3]);
    expect(images).toBeInstanceOf(Float32Array);
    expect(Array.from(images)).toEqual(Array.from(input.pixels.subarray(48, 64)));
  });

  it('refuses an image index out of range with the valid range', () => {
    const record = store.datasets.get(store.datasets.insert(dataset(10, 'uint8')));
    expect(() => store.datasets.readImages(record, [10])).toThrow(
      'image index 10 is out of range: dataset "d-uint8" has images 0 to 9',
    );
  });

  it('follows a run through its states and marks unfinished runs interrupted', () => {
    const a = store.runs.insert({
      kind: 'train',
      name: 'a',
      config: { x: 1 },
      seed: 3,
      modelId: null,
    });
    const b = store.runs.insert({ kind: 'train', name: 'b', config: {}, seed: 0, modelId: null });
    store.runs.markRunning(a, 'wasm', 'test');
    store.runs.finish(b, 'completed', { result: { ok: true } });
    expect(store.runs.markInterrupted()).toBe(1);
    const runA = store.runs.get(a);
    expect(runA.status).toBe('interrupted');
    expect(runA.config).toEqual({ x: 1 });
    expect(runA.backend).toBe('wasm');
    expect(store.runs.get(b)).toMatchObject({ status: 'completed', result: { ok: true } });
  });

  it('round-trips model weights, metrics and artifacts', () => {
    const datasetId = store.datasets.insert(dataset(5, 'uint8'));
    const runId = store.runs.insert({
      kind: 'train',
      name: 'm',
      config: {},
      seed: 0,
      modelId: null,
    });
    const weights = [
      { name: 'w', shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) },
      { name: 'b', shape: [3], data: Float32Array.from([0.5, -0.5, 1e-8]) },
    ];
    const modelId = store.models.insert({
      name: 'm',
      architecture: 'small-cnn',
      inputShape: [4, 4, 1],
      numClasses: 3,
      datasetId,
      trainingRunId: runId,
      robust: true,
      parameterCount: 9,
      testAccuracy: 0.5,
      weights,
    });
    expect(store.models.weights(modelId)).toEqual(weights);
    expect(store.models.get(modelId)).toMatchObject({
      robust: true,
      inputShape: [4, 4, 1],
      numClasses: 3,
    });

    store.metrics.record(runId, 1, {
      'train.loss': 2.5,
      'train.accuracy': 0.1,
      skipped: Number.NaN,
    });
    store.metrics.record(runId, 2, { 'train.loss': 1.5 });
    expect(store.metrics.forRun(runId)).toEqual([
      { step: 1, key: 'train.accuracy', value: 0.1 },
      { step: 1, key: 'train.loss', value: 2.5 },
      { step: 2, key: 'train.loss', value: 1.5 },
    ]);

    const artifactId = store.artifacts.insert({
      runId,
      kind: 'perturbation',
      shape: [1, 2, 1],
      data: Float32Array.from([-0.25, 0.125]),
      meta: { index: 7 },
    });
    const artifact = store.artifacts.get(artifactId);
    expect(artifact).toMatchObject({
      kind: 'perturbation',
      shape: [1, 2, 1],
      dtype: 'float32',
      meta: { index: 7 },
    });
    expect(Array.from(new Float32Array(artifact.data.buffer, artifact.data.byteOffset, 2))).toEqual(
      [-0.25, 0.125],
    );
  });
});
