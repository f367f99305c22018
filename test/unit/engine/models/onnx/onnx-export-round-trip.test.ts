/**
 * A model imported from ONNX, exported as ONNX again (issue 13's round trip), for every PyTorch
 * fixture of test/reference/onnx_fixtures.py: import → toOnnxModel → the exported bytes.
 *   (1) onnxruntime-node on the exported file gives the logits onnxruntime gives on the original
 *       file, and the logits the workbench computes on the imported model;
 *   (2) importing the exported file gives a model with the same logits as the first import.
 * Error measure: max |a − b| / max |b| over the batch's logits (errorRelativeToScale); bounds:
 * 1e-6 between the two files in onnxruntime and between the two imports (the same graph and the
 * same float32 weights: anything above rounding means a weight or an attribute moved), 1e-5
 * between onnxruntime and the workbench (two runtimes with their own kernels and summation
 * orders; the importer's own bound against onnxruntime is 1e-4). A weight written back in the
 * wrong layout is caught: a spatially transposed conv kernel (same shape) is shown to break (1).
 * Where /usr/bin/python3 has Debian's python3-onnx, ONNX's own checker (full check: types and
 * shapes on every node) accepts each exported file, as it accepts the original. Skipped, with the
 * reason, where /usr/bin/python3 lacks torch.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WeightTensor } from '../../../../../src-main/engine/engine-types';
import { toOnnxModel } from '../../../../../src-main/engine/models/export/onnx/onnx-export';
import { transposeArray } from '../../../../../src-main/engine/models/export/onnx/weight-layouts';
import { importWeights } from '../../../../../src-main/engine/models/model-weights';
import {
  importOnnxFile,
  type ImportedOnnxModel,
} from '../../../../../src-main/engine/models/onnx/import-onnx-model';
import { sourceKeys } from '../../../../../src-main/engine/models/onnx/onnx-export-provenance';
import { decodeModel } from '../../../../../src-main/engine/models/onnx/onnx-proto';
import { missingPythonModules, runPythonJson } from '../../../python-oracle';
import { useBackend } from '../../use-backend';
import { runWithOnnxRuntime } from '../onnx-runtime-oracle';
import {
  comparedFixtureModels,
  errorRelativeToScale,
  maxAbsoluteDifference,
  nchwToNhwcValues,
  type PyTorchFixture,
} from './pytorch-layout';

const missing = missingPythonModules(['torch', 'numpy']);
const noOnnxChecker = missingPythonModules(['onnx']);

/** onnx.checker's verdict on each file (test/reference/onnx_check_files.py): null accepted. */
function checkerErrors(files: string[]): (string | null)[] {
  return runPythonJson<{ files: { error: string | null }[] }>(
    'test/reference/onnx_check_files.py',
    files,
  ).files.map((f) => f.error);
}

/** The same graph and weights in one runtime, or the same model imported twice. */
const sameModelBound = 1e-6;
/** onnxruntime against the workbench on the same file. */
const runtimesBound = 1e-5;

describe.skipIf(missing !== null)('an imported ONNX model exported as ONNX', () => {
  let directory = '';
  let fixtures: PyTorchFixture[] = [];
  const report: string[] = [];

  const fixture = (name: string): PyTorchFixture => {
    const found = fixtures.find((f) => f.name === name);
    if (found === undefined) throw new Error(`no fixture ${name}`);
    return found;
  };
  const importFile = (f: PyTorchFixture, path: string) => {
    const [c, h, w] = f.inputShape;
    return importOnnxFile(path, {
      target: { name: `${f.name} images`, imageShape: [h, w, c], numClasses: 10 },
      inputRange: [0, 1],
    });
  };
  /** The workbench's logits of the fixture's batch, the model rebuilt as every worker does. */
  const workbenchLogits = (imported: ImportedOnnxModel, f: PyTorchFixture): Float32Array => {
    const model = importWeights(imported.spec, imported.weights);
    const [c, h, w] = f.inputShape;
    const n = f.labels.length;
    try {
      return tf.tidy(
        () =>
          model
            .forward(tf.tensor4d(nchwToNhwcValues(f.images, f.inputShape), [n, h, w, c]))
            .logits.dataSync() as Float32Array,
      );
    } finally {
      model.dispose();
    }
  };
  const ortLogits = async (bytes: Uint8Array, f: PyTorchFixture) => {
    const [c, h, w] = f.inputShape;
    return runWithOnnxRuntime(bytes, Float32Array.from(f.images), [f.labels.length, c, h, w]);
  };

  beforeAll(async () => {
    await useBackend('wasm');
    directory = mkdtempSync(join(tmpdir(), 'rfw-onnx-round-trip-'));
    fixtures = runPythonJson<{ models: PyTorchFixture[] }>('test/reference/onnx_fixtures.py', [
      directory,
    ]).models;
  }, 120_000);

  afterAll(() => {
    console.log(report.join('\n'));
    if (directory !== '') rmSync(directory, { recursive: true, force: true });
  });

  it.each(comparedFixtureModels)(
    '%s: the export runs in onnxruntime and imports again with the same logits',
    async (name) => {
      const f = fixture(name);
      const original = readFileSync(f.file);
      const imported = await importFile(f, f.file);
      const exported = toOnnxModel(imported.spec, imported.weights);
      const path = join(directory, `${name}.exported.onnx`);
      writeFileSync(path, exported);

      const ortOriginal = await ortLogits(original, f);
      const ortExported = await ortLogits(exported, f);
      expect(ortExported.inputNames).toEqual(ortOriginal.inputNames);
      expect(ortExported.outputNames).toEqual(ortOriginal.outputNames);
      expect(ortExported.dims).toEqual(ortOriginal.dims);
      const ours = workbenchLogits(imported, f);
      const again = workbenchLogits(await importFile(f, path), f);

      const files = errorRelativeToScale(ortExported.values, ortOriginal.values);
      const runtimes = errorRelativeToScale(ortExported.values, ours);
      const imports = errorRelativeToScale(again, ours);
      report.push(
        `${name}: exported vs original in onnxruntime ${files.toExponential(2)} ` +
          `(max |Δ| ${maxAbsoluteDifference(ortExported.values, ortOriginal.values).toExponential(2)}); ` +
          `onnxruntime on the export vs the workbench ${runtimes.toExponential(2)} ` +
          `(max |Δ| ${maxAbsoluteDifference(ortExported.values, ours).toExponential(2)}); ` +
          `re-import vs import ${imports.toExponential(2)} ` +
          `(max |Δ| ${maxAbsoluteDifference(again, ours).toExponential(2)})`,
      );
      if (noOnnxChecker === null) expect(checkerErrors([f.file, path])).toEqual([null, null]);
      expect(files).toBeLessThanOrEqual(sameModelBound);
      expect(runtimes).toBeLessThanOrEqual(runtimesBound);
      expect(imports).toBeLessThanOrEqual(sameModelBound);
    },
  );

  it('catches a conv kernel written back spatially transposed (same shape, other layout)', async () => {
    const f = fixture('batchnorm-cnn');
    const imported = await importFile(f, f.file);
    const square = imported.weights.find(
      (w) => w.shape.length === 4 && w.shape[2] === w.shape[3] && (w.shape[2] ?? 0) > 1,
    );
    if (square === undefined) throw new Error('batchnorm-cnn has no square conv kernel');
    // [O, I, kH, kW] → [O, I, kW, kH]: the same shape, so only the logits can tell.
    const swapped: WeightTensor = {
      ...square,
      data: transposeArray(square.data, square.shape, [0, 1, 3, 2]).data,
    };
    const weights = imported.weights.map((w) => (w === square ? swapped : w));
    const exported = toOnnxModel(imported.spec, weights);
    const ortOriginal = await ortLogits(readFileSync(f.file), f);
    const ortExported = await ortLogits(exported, f);
    const error = errorRelativeToScale(ortExported.values, ortOriginal.values);
    report.push(`batchnorm-cnn with ${square.name} transposed: ${error.toExponential(2)}`);
    expect(error).toBeGreaterThan(100 * runtimesBound);
  });

  it('records the imported file in the export, and the re-import shows where it came from', async () => {
    const f = fixture('normalized-cnn');
    const original = readFileSync(f.file);
    const sha256 = createHash('sha256').update(original).digest('hex');
    const first = await importFile(f, f.file);
    const exported = toOnnxModel(first.spec, first.weights);
    const path = join(directory, 'model.onnx');
    writeFileSync(path, exported);

    const file = decodeModel(exported);
    const metadata = new Map(file.metadataProps.map((e) => [e.key, e.value]));
    expect(metadata.get(sourceKeys.sha256)).toBe(sha256);
    expect(metadata.get(sourceKeys.fileName)).toBe('normalized-cnn.onnx');
    expect(metadata.get(sourceKeys.inputRange)).toBe('[0,1]');
    expect(file.producerName).toBe('robust-features-workbench');
    expect(file.docString).toContain(sha256);

    const source = first.spec.onnx.provenance;
    const second = await importFile(f, path);
    const again = second.spec.onnx.provenance;
    expect(again).toMatchObject({
      fileName: 'model.onnx',
      fileBytes: exported.byteLength,
      sha256: createHash('sha256').update(exported).digest('hex'),
      opset: source.opset,
      irVersion: source.irVersion,
      opCounts: source.opCounts,
      parameterCount: source.parameterCount,
      inputName: source.inputName,
      inputShape: source.inputShape,
      inputRange: source.inputRange,
      normalization: source.normalization,
      logitsOutput: source.logitsOutput,
      representation: source.representation,
    });
    expect(source.producer).toMatch(/^pytorch /);
    expect(again.producer).toMatch(/^robust-features-workbench /);
    expect(again.notes[0]).toContain(`from normalized-cnn.onnx (SHA-256 ${sha256}`);

    // Exported a second time: one entry per key, naming the file it was imported from last.
    const twice = decodeModel(toOnnxModel(second.spec, second.weights));
    const keys = twice.metadataProps.map((e) => e.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(twice.metadataProps.find((e) => e.key === sourceKeys.sha256)?.value).toBe(again.sha256);
  });
});
