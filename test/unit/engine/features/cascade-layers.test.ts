/**
 * The cascade's layers: parameters grouped by name up to the last '.' or '/', from the logits
 * down, for a built-in CNN, a ResNet (batch-norm buffers go with their layer) and an imported
 * tfjs-layers model; stage k names the top k layers' parameters.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cascadeLayers, cascadeStage } from '../../../../src-main/engine/features/cascade-layers';
import { createModel } from '../../../../src-main/engine/models/create-model';
import { saveLayersModel } from '../../../../src-main/engine/models/export/layers-model-export';
import { importLayersModelFiles } from '../../../../src-main/engine/models/layers-model/import-layers-model';
import { exportWeights, importWeights } from '../../../../src-main/engine/models/model-weights';
import type { ModelSpec } from '../../../../src-main/engine/engine-types';
import { useBackend } from '../use-backend';

const directory = mkdtempSync(join(tmpdir(), 'rfw-cascade-'));

describe('cascade layers', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });
  afterAll(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('orders the CIFAR CNN from the logits down, weight and bias together', () => {
    const model = createModel(
      { architecture: 'cifar-cnn', inputShape: [8, 8, 3], numClasses: 4 },
      1,
    );
    const layers = cascadeLayers(model);
    expect(layers.map((l) => l.layer)).toEqual(['fc2', 'fc1', 'conv4', 'conv3', 'conv2', 'conv1']);
    expect(layers[0]?.parameters).toEqual(['fc2.weight', 'fc2.bias']);
    expect(cascadeStage(layers, 2)).toEqual(['fc2.weight', 'fc2.bias', 'fc1.weight', 'fc1.bias']);
    expect(cascadeStage(layers, 6)).toHaveLength(model.parameters.length);
    expect(() => cascadeStage(layers, 0)).toThrow('cascade stage must be 1 to 6, got 0');
    expect(() => cascadeStage(layers, 7)).toThrow('cascade stage must be 1 to 6, got 7');
    model.dispose();
  });

  it('keeps a batch norm’s scale, shift and running statistics in one layer', () => {
    const model = createModel(
      { architecture: 'preact-resnet', inputShape: [8, 8, 3], numClasses: 3 },
      2,
    );
    const layers = cascadeLayers(model);
    const names = new Set(model.parameters.map((p) => p.name));
    // Every parameter in exactly one layer, and no layer split.
    expect(layers.flatMap((l) => l.parameters).sort()).toEqual([...names].sort());
    expect(new Set(layers.map((l) => l.layer)).size).toBe(layers.length);
    const norm = layers.find((l) => l.parameters.some((p) => p.endsWith('.running_mean')));
    expect(norm?.parameters.length).toBeGreaterThanOrEqual(4);
    expect(norm?.parameters.every((p) => p.startsWith(`${norm.layer}.`))).toBe(true);
    // The classifier is the first layer re-drawn.
    expect(layers[0]?.parameters).toContain(model.parameters.at(-1)?.name);
    model.dispose();
  });

  it('groups an imported tfjs-layers model by its layer names', async () => {
    const spec: ModelSpec = { architecture: 'mlp', inputShape: [4, 4, 1], numClasses: 3 };
    const source = createModel(spec, 3);
    const files = await saveLayersModel(join(directory, 'mlp'), spec, exportWeights(source));
    const imported = await importLayersModelFiles(files.modelJson);
    const model = importWeights(imported.spec, imported.weights);
    const layers = cascadeLayers(model);
    expect(layers.length).toBeGreaterThanOrEqual(2);
    for (const layer of layers) {
      expect(layer.parameters.every((p) => p.startsWith(`${layer.layer}/`))).toBe(true);
    }
    expect(layers[0]?.parameters).toContain(model.parameters.at(-1)?.name);
    source.dispose();
    model.dispose();
  });
});
