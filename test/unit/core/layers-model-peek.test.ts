/**
 * The main-thread look at a model.json before an import: input shape and class count as the
 * Keras topology states them (Sequential and functional, under model_config or not, softmax-only
 * layers walked over), null where the file does not say it plainly, and clear errors for files
 * that are not a layers model.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
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

  describe('weight files (issue 12 §11, §12)', () => {
    /** A model folder with a 10×2 Dense layer's weights (80 + 8 bytes) in weights.bin. */
    function modelFolder(paths: string[], bytes = 88): string {
      const model = mkdtempSync(join(tmpdir(), 'rfw-peek-model-'));
      writeFileSync(join(model, 'weights.bin'), Buffer.alloc(bytes));
      const weights = [
        { name: 'd/kernel', shape: [10, 2], dtype: 'float32' },
        { name: 'd/bias', shape: [2], dtype: 'float32' },
      ];
      const path = join(model, 'model.json');
      writeFileSync(
        path,
        JSON.stringify({ modelTopology: sequential, weightsManifest: [{ paths, weights }] }),
      );
      return path;
    }

    it('accepts weight files inside the folder of the sizes the manifest declares', () => {
      expect(peekLayersModel(modelFolder(['weights.bin'])).numClasses).toBe(10);
    });

    it('refuses weight paths that lead outside the model folder, naming the path', () => {
      const secret = join(mkdtempSync(join(tmpdir(), 'rfw-secret-')), 'secret.bin');
      writeFileSync(secret, Buffer.alloc(88));
      const relativePath = `../${basename(dirname(secret))}/secret.bin`;
      expect(() => peekLayersModel(modelFolder([relativePath]))).toThrow(
        `its weight file path ${relativePath} leads outside the model's folder`,
      );
      expect(() => peekLayersModel(modelFolder([secret]))).toThrow(
        `its weight file path ${secret} leads outside the model's folder`,
      );
      // A symlink inside the folder that points out is refused too (after realpath).
      const linked = modelFolder(['link.bin']);
      symlinkSync(secret, join(dirname(linked), 'link.bin'));
      expect(() => peekLayersModel(linked)).toThrow(
        /its weight file path link\.bin leads outside the model's folder \(to .*secret\.bin\)/,
      );
    });

    it('refuses weight files whose sizes differ from the manifest, and non-regular files', () => {
      expect(() => peekLayersModel(modelFolder(['weights.bin'], 84))).toThrow(
        'the weight files of group 1 (weights.bin) hold 84 bytes, but its weightsManifest declares 88',
      );
      const fifo = modelFolder(['pipe.bin']);
      execFileSync('mkfifo', [join(dirname(fifo), 'pipe.bin')]);
      expect(() => peekLayersModel(fifo)).toThrow('its weight file pipe.bin is not a regular file');
    });
  });
});
