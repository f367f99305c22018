/**
 * NumPy export: .npy headers as numpy writes them, .npz archives read back in TypeScript and (where
 * /usr/bin/python3 has numpy) by numpy itself, and the architecture description's layouts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel } from '../../../../../src-main/engine/models/create-model';
import type { ArchitectureDescription } from '../../../../../src-main/engine/models/export/architecture-description';
import { decodeNpy, encodeNpy } from '../../../../../src-main/engine/models/export/npy';
import { decodeNpz } from '../../../../../src-main/engine/models/export/npz';
import {
  exportModelNpz,
  readModelNpz,
} from '../../../../../src-main/engine/models/export/npz-export';
import { exportWeights } from '../../../../../src-main/engine/models/model-weights';
import type { ModelSpec, WeightTensor } from '../../../../../src-main/engine/engine-types';
import { useBackend } from '../../use-backend';

const PYTHON = '/usr/bin/python3';

function numpyAvailable(): { ok: boolean; reason: string } {
  try {
    execFileSync(PYTHON, ['-c', 'import numpy'], { stdio: 'pipe' });
    return { ok: true, reason: '' };
  } catch (error) {
    return { ok: false, reason: `${PYTHON} cannot import numpy (${String(error).split('\n')[0]})` };
  }
}

const numpy = numpyAvailable();
const directory = mkdtempSync(join(tmpdir(), 'rfw-npz-'));
const smallCnn: ModelSpec = { architecture: 'small-cnn', inputShape: [28, 28, 1], numClasses: 10 };
const resnet: ModelSpec = {
  architecture: 'preact-resnet',
  inputShape: [32, 32, 3],
  numClasses: 10,
};

function weightsOf(spec: ModelSpec, seed: number): WeightTensor[] {
  const model = createModel(spec, seed);
  const weights = exportWeights(model);
  model.dispose();
  return weights;
}

describe('npz export', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('writes .npy v1.0 headers padded to 64 bytes, and reads them back', () => {
    for (const shape of [[3], [2, 3], [3, 3, 1, 16], []]) {
      const size = shape.reduce((a, b) => a * b, 1);
      const data = Float32Array.from({ length: size }, (_, i) => i / 3 - 1);
      const bytes = encodeNpy(shape, data);
      const headerLength = (bytes[8] ?? 0) + 256 * (bytes[9] ?? 0);
      expect((10 + headerLength) % 64).toBe(0);
      expect(bytes[6]).toBe(1);
      const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLength));
      expect(header).toContain("'descr': '<f4'");
      expect(header.endsWith('\n')).toBe(true);
      const back = decodeNpy(bytes);
      expect(back.shape).toEqual(shape);
      expect(Array.from(back.data)).toEqual(Array.from(data));
    }
    expect(header1d()).toContain("'shape': (3,)");
    expect(() => encodeNpy([2, 2], new Float32Array(3))).toThrow(/holds 4 values, got 3/);
    expect(() => decodeNpy(new Uint8Array([1, 2, 3]), 'x.npy')).toThrow(/x.npy is not a .npy file/);
    const integer = encodeNpy([1], new Float32Array(1));
    const text = new TextDecoder('latin1').decode(integer);
    integer.set(new TextEncoder().encode('<i4'), text.indexOf('<f4'));
    expect(() => decodeNpz(zipSync({ 'bad.npy': integer }))).toThrow(/bad.npy: dtype <i4/);
    expect(() => decodeNpz(new Uint8Array([1, 2, 3, 4]))).toThrow(/not an .npz/);
  });

  it('exports weights as .npz with a description; reading it back gives the same arrays', async () => {
    for (const spec of [smallCnn, resnet]) {
      const weights = weightsOf(spec, 3);
      const paths = {
        npz: join(directory, `${spec.architecture}.npz`),
        description: join(directory, `${spec.architecture}.json`),
      };
      await exportModelNpz(paths, spec, [...weights].reverse());
      const back = await readModelNpz(paths.npz);
      expect(back.map((w) => w.name)).toEqual(weights.map((w) => w.name));
      back.forEach((w, i) => {
        expect(w.shape).toEqual(weights[i]?.shape);
        expect(Array.from(w.data)).toEqual(Array.from(weights[i]?.data ?? []));
      });
      const description = JSON.parse(
        readFileSync(paths.description, 'utf8'),
      ) as ArchitectureDescription;
      expect(description.architecture).toBe(spec.architecture);
      expect(description.input).toEqual({ layout: 'NHWC', dtype: 'float32', range: [0, 1] });
      expect(description.parameters.map((p) => p.name)).toEqual(weights.map((w) => w.name));
      expect(description.layers.at(-1)?.outputShape).toEqual([10]);
    }
    const description = JSON.parse(
      readFileSync(join(directory, 'small-cnn.json'), 'utf8'),
    ) as ArchitectureDescription;
    const byId = new Map(description.layers.map((l) => [l.id, l]));
    expect(byId.get('conv1')?.parameters[0]).toMatchObject({
      name: 'conv1.weight',
      shape: [3, 3, 1, 16],
      layout: 'HWIO',
      pytorch: 'w.transpose(3, 2, 0, 1)',
    });
    expect(byId.get('pool2')?.outputShape).toEqual([7, 7, 32]);
    expect(byId.get('fc1')?.parameters[0]?.pytorch).toBe(
      'w.reshape(7, 7, 32, 128).transpose(3, 2, 0, 1).reshape(128, 1568)',
    );
    expect(byId.get('fc2')?.parameters[0]?.pytorch).toBe('w.T');
    const resnetDescription = JSON.parse(
      readFileSync(join(directory, 'preact-resnet.json'), 'utf8'),
    ) as ArchitectureDescription;
    const resnetLayers = new Map(resnetDescription.layers.map((l) => [l.id, l]));
    expect(resnetLayers.get('stage3.block1.conv1')?.outputShape).toEqual([8, 8, 64]);
    expect(resnetLayers.get('pool')?.outputShape).toEqual([64]);
    expect(resnetDescription.representation).toBe('pool');
    expect(resnetDescription.parameters.find((p) => p.name === 'bn.running_var')?.trainable).toBe(
      false,
    );
  });

  it('refuses weights that are not the architecture’s', async () => {
    const weights = weightsOf(smallCnn, 1);
    const paths = { npz: join(directory, 'bad.npz'), description: join(directory, 'bad.json') };
    await expect(exportModelNpz(paths, smallCnn, weights.slice(1))).rejects.toThrow(
      /conv1.weight is missing/,
    );
    await expect(readModelNpz(join(directory, 'missing.npz'))).rejects.toThrow(/ENOENT/);
  });

  it.skipIf(!numpy.ok)('numpy loads the .npz with the same names, shapes and values', async () => {
    const weights = weightsOf(resnet, 5);
    const path = join(directory, 'for-numpy.npz');
    await exportModelNpz(
      { npz: path, description: join(directory, 'for-numpy.json') },
      resnet,
      weights,
    );
    const script = [
      'import json, sys, numpy',
      'archive = numpy.load(sys.argv[1])',
      'print(json.dumps({k: [list(archive[k].shape), str(archive[k].dtype), float(archive[k].astype("float64").sum()), float(archive[k].flat[0])] for k in archive.files}))',
    ].join('\n');
    const out = JSON.parse(
      execFileSync(PYTHON, ['-c', script, path], { encoding: 'utf8' }),
    ) as Record<string, [number[], string, number, number]>;
    expect(Object.keys(out).sort()).toEqual(weights.map((w) => w.name).sort());
    for (const weight of weights) {
      const [shape, dtype, sum, first] = out[weight.name] ?? [[], '', NaN, NaN];
      expect(shape).toEqual(weight.shape);
      expect(dtype).toBe('float32');
      expect(first).toBe(weight.data[0]);
      const expected = weight.data.reduce((a, b) => a + b, 0);
      expect(Math.abs(sum - expected)).toBeLessThan(1e-3 * Math.max(1, Math.abs(expected)));
    }
  });
  if (!numpy.ok) console.log(`skipping the numpy check: ${numpy.reason}`);
});

function header1d(): string {
  const bytes = encodeNpy([3], new Float32Array(3));
  return new TextDecoder().decode(bytes.subarray(10, 74));
}
