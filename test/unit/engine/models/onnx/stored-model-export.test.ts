/**
 * The ONNX export of an imported model (joinWeights in onnx-stored-model.ts) on a graph written
 * here. It refuses weights that are not the stored description's (one missing, one extra, one of
 * another shape), naming the weight. A DOUBLE initializer through import and export: the
 * workbench keeps its values as float32 and records the type, and the export writes it back as
 * DOUBLE holding those values, so the graph's types are the file's (onnxruntime and ONNX's
 * checker take it) and onnxruntime gives the workbench's logits on it. The graph, written here:
 *   x [N, 1, 4, 4] · Cast(scale: DOUBLE [1] = 0.1, to FLOAT) → Flatten → Gemm(W [10, 16], b) → logits
 * A description from before the type was recorded writes scale back as FLOAT: the Cast then
 * casts float to float, the same function.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toOnnxModel } from '../../../../../src-main/engine/models/export/onnx/onnx-export';
import {
  doubleTensor,
  floatTensor,
  floatValueInfo,
  intAttribute,
  node,
} from '../../../../../src-main/engine/models/export/onnx/onnx-nodes';
import { importWeights } from '../../../../../src-main/engine/models/model-weights';
import { importOnnxFile } from '../../../../../src-main/engine/models/onnx/import-onnx-model';
import { decodeModel, encodeModel } from '../../../../../src-main/engine/models/onnx/onnx-proto';
import { hostTensor, OnnxDataType } from '../../../../../src-main/engine/models/onnx/onnx-tensor';
import { missingPythonModules, runPythonJson } from '../../../python-oracle';
import { useBackend } from '../../use-backend';
import { runWithOnnxRuntime } from '../onnx-runtime-oracle';
import { errorRelativeToScale } from './pytorch-layout';

const noOnnxChecker = missingPythonModules(['onnx']);
const n = 3;

function seeded(count: number, seed: number): Float32Array {
  return tf.tidy(() => tf.randomNormal([count], 0, 1, 'float32', seed).dataSync() as Float32Array);
}

/** The file: scale as DOUBLE 0.1 (not a float32 value: the import narrows it). */
function file(): Uint8Array {
  return encodeModel({
    irVersion: 7,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'hand-written',
    graph: {
      name: 'double-scale',
      node: [
        node('Cast', 'cast', ['scale'], ['scale_f'], [intAttribute('to', OnnxDataType.float)]),
        node('Mul', 'mul', ['x', 'scale_f'], ['scaled']),
        node('Flatten', 'flatten', ['scaled'], ['flat'], [intAttribute('axis', 1)]),
        node('Gemm', 'gemm', ['flat', 'W', 'b'], ['logits'], [intAttribute('transB', 1)]),
      ],
      initializer: [
        {
          ...doubleTensor('scale', [1], Float32Array.of(0)),
          rawData: undefined,
          doubleData: [0.1],
        },
        floatTensor('W', [10, 16], seeded(160, 1)),
        floatTensor('b', [10], seeded(10, 2)),
      ],
      input: [floatValueInfo('x', ['N', 1, 4, 4])],
      output: [floatValueInfo('logits', ['N', 10])],
    },
  });
}

describe('an imported model written back as ONNX', () => {
  let directory = '';
  let images = new Float32Array();

  beforeAll(async () => {
    await useBackend('cpu');
    images = seeded(n * 16, 3).map((v) => Math.abs(v) % 1);
    directory = mkdtempSync(join(tmpdir(), 'rfw-onnx-double-'));
  });
  afterAll(() => {
    if (directory !== '') rmSync(directory, { recursive: true, force: true });
  });

  const importFile = (path: string) =>
    importOnnxFile(path, {
      target: { name: '4×4 images', imageShape: [4, 4, 1], numClasses: 10 },
      inputRange: [0, 1],
    });

  it('refuses weights that are not the description’s, naming the weight', async () => {
    const path = join(directory, 'checked.onnx');
    writeFileSync(path, file());
    const { spec, weights } = await importFile(path);
    const without = weights.filter((w) => w.name !== 'b');
    expect(() => toOnnxModel(spec, without)).toThrow('weight b is missing');
    const extra = { name: 'c', shape: [1], data: Float32Array.of(1) };
    expect(() => toOnnxModel(spec, [...weights, extra])).toThrow(
      'weights the ONNX graph does not read: c',
    );
    const reshaped = weights.map((w) => (w.name === 'W' ? { ...w, shape: [16, 10] } : w));
    expect(() => toOnnxModel(spec, reshaped)).toThrow(
      'weight W has shape [16, 10]; the ONNX graph reads [10, 16]',
    );
  });

  it('writes a DOUBLE initializer back as DOUBLE with the workbench’s values, which run to its logits', async () => {
    const original = file();
    const path = join(directory, 'double-scale.onnx');
    writeFileSync(path, original);
    const imported = await importFile(path);
    expect(imported.spec.onnx.weights.find((w) => w.name === 'scale')?.fileType).toBe('double');
    expect(imported.spec.onnx.weights.find((w) => w.name === 'W')?.fileType).toBeUndefined();

    const exported = toOnnxModel(imported.spec, imported.weights);
    const scale = decodeModel(exported).graph?.initializer.find((t) => t.name === 'scale');
    expect(scale?.dataType).toBe(OnnxDataType.double);
    expect(scale === undefined ? null : hostTensor(scale).values).toEqual(
      Float32Array.of(Math.fround(0.1)),
    );

    // One channel: NCHW and NHWC hold the same order.
    const model = importWeights(imported.spec, imported.weights);
    const ours = tf.tidy(
      () => model.forward(tf.tensor4d(images, [n, 4, 4, 1])).logits.dataSync() as Float32Array,
    );
    model.dispose();
    const ortExported = await runWithOnnxRuntime(exported, images, [n, 1, 4, 4]);
    const ortOriginal = await runWithOnnxRuntime(original, images, [n, 1, 4, 4]);
    expect(errorRelativeToScale(ortExported.values, ours)).toBeLessThanOrEqual(1e-5);
    // The original's 0.1 and the export's float32(0.1) differ by ~1.5e-9 relative.
    expect(errorRelativeToScale(ortExported.values, ortOriginal.values)).toBeLessThanOrEqual(1e-6);

    // Imported before the type was recorded: FLOAT, and the same logits.
    const legacy = toOnnxModel(
      {
        ...imported.spec,
        onnx: {
          ...imported.spec.onnx,
          weights: imported.spec.onnx.weights.map(({ name, shape }) => ({ name, shape })),
        },
      },
      imported.weights,
    );
    const legacyScale = decodeModel(legacy).graph?.initializer.find((t) => t.name === 'scale');
    expect(legacyScale?.dataType).toBe(OnnxDataType.float);
    const ortLegacy = await runWithOnnxRuntime(legacy, images, [n, 1, 4, 4]);
    expect(errorRelativeToScale(ortLegacy.values, ours)).toBeLessThanOrEqual(1e-5);

    if (noOnnxChecker === null) {
      const files = [path, join(directory, 'exported.onnx'), join(directory, 'legacy.onnx')];
      writeFileSync(files[1] ?? '', exported);
      writeFileSync(files[2] ?? '', legacy);
      const verdicts = runPythonJson<{ files: { error: string | null }[] }>(
        'test/reference/onnx_check_files.py',
        files,
      ).files.map((f) => f.error);
      expect(verdicts).toEqual([null, null, null]);
    }
  });
});
