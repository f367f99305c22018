/**
 * The main-thread look at a model.json before an import: input shape and class count as the
 * Keras topology states them (Sequential and functional, under model_config or not, softmax-only
 * layers walked over), null where the file does not say it plainly, and clear errors for files
 * that are not a layers model.json.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { peekLayersModel } from '../../../src-main/core/layers-model-peek';

const folder = mkdtempSync(join(tmpdir(), 'rfw-peek-'));
let files = 0;

function modelJson(content: unknown): string {
  files += 1;
  const path = join(folder, `model-${files}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const sequential = {
  class_name: 'Sequential',
  config: {
    name: 's',
    layers: [
      { class_name: 'Flatten', config: { name: 'f', batch_input_shape: [null, 28, 28, 1] } },
      { class_name: 'Dense', config: { name: 'd', units: 10, activation: 'linear' } },
      { class_name: 'Activation', config: { name: 'a', activation: 'softmax' } },
    ],
  },
};

const functional = {
  class_name: 'Functional',
  config: {
    name: 'f',
    layers: [
      {
        class_name: 'InputLayer',
        name: 'in',
        config: { name: 'in', batch_input_shape: [null, 784] },
        inbound_nodes: [],
      },
      {
        class_name: 'Dense',
        name: 'logits',
        config: { name: 'logits', units: 7 },
        inbound_nodes: [[['in', 0, 0, {}]]],
      },
      {
        class_name: 'Softmax',
        name: 'probabilities',
        config: { name: 'probabilities' },
        inbound_nodes: [[['logits', 0, 0, {}]]],
      },
    ],
    input_layers: [['in', 0, 0]],
    output_layers: [['probabilities', 0, 0]],
  },
};

describe('peekLayersModel', () => {
  it('reads a Sequential model, walking back over its softmax', () => {
    expect(peekLayersModel(modelJson({ modelTopology: sequential }))).toEqual({
      inputShape: [28, 28, 1],
      numClasses: 10,
    });
  });

  it('reads a functional model under model_config (tensorflowjs_converter files)', () => {
    const path = modelJson({ modelTopology: { keras_version: '2', model_config: functional } });
    expect(peekLayersModel(path)).toEqual({ inputShape: [784], numClasses: 7 });
  });

  it('reports null for what the topology does not state plainly', () => {
    const noShape = structuredClone(sequential);
    noShape.config.layers[0] = { class_name: 'Flatten', config: { name: 'f' } } as never;
    noShape.config.layers[1] = { class_name: 'Conv2D', config: { name: 'c' } } as never;
    expect(peekLayersModel(modelJson({ modelTopology: noShape }))).toEqual({
      inputShape: null,
      numClasses: null,
    });
  });

  it('refuses files that are not a layers model.json, naming the file', () => {
    expect(() => peekLayersModel(join(folder, 'missing.json'))).toThrow(
      /missing\.json cannot be read/,
    );
    expect(() => peekLayersModel(folder)).toThrow(/is a folder/);
    expect(() => peekLayersModel(modelJson('{ not json'))).toThrow(/is not JSON/);
    expect(() => peekLayersModel(modelJson({ format: 'graph-model' }))).toThrow(
      /has no modelTopology/,
    );
  });
});
