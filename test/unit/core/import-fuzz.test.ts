/**
 * Fuzzing every importer (issue 12, "Done means"): IDX (plain and gzipped), CIFAR batches, image
 * folders, tfjs-layers model folders (the main-thread checks and the engine's import) and
 * project files, each fed truncated, bit-flipped, oversized-header and random versions of a
 * valid file from a seeded PRNG (so a failure replays). Every input must either import with
 * valid content or be refused with an Error whose message is non-empty and is not a RangeError
 * or TypeError leaking from deep inside; a refused dataset import leaves the project's datasets
 * as they were, and a refused project file is left byte for byte as it was.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  DatasetImportRequest,
  type DatasetImportSource,
} from '../../../src-main/common/dataset-io-schemas';
import { DatasetService } from '../../../src-main/core/dataset-service';
import { quietContext } from '../../../src-main/core/datasets/task-context';
import { peekLayersModel } from '../../../src-main/core/layers-model-peek';
import { ProjectService } from '../../../src-main/core/project-service';
import { RecentProjects } from '../../../src-main/core/recent-projects';
import { openProjectDatabase } from '../../../src-main/db/project-database';
import { importLayersModelFiles } from '../../../src-main/engine/models/layers-model/import-layers-model';
import { mulberry32, type RandomSource } from '../../../src-main/engine/random/seeded-random';
import { useBackend } from '../engine/use-backend';
import {
  cifarBytes,
  cyclingLabels,
  idxImagesBytes,
  idxLabelsBytes,
  temporaryFolder,
  writeImage,
} from './datasets/dataset-fixtures';

type Mutation = 'truncated' | 'bit-flipped' | 'oversized-header' | 'random';
const mutations: Mutation[] = ['truncated', 'bit-flipped', 'oversized-header', 'random'];

/** A damaged copy of `bytes`; `headerBytes` is where the format's sizes live. */
function mutate(bytes: Buffer, kind: Mutation, random: RandomSource, headerBytes: number): Buffer {
  const pick = (n: number): number => Math.floor(random() * n);
  switch (kind) {
    case 'truncated':
      return Buffer.from(bytes.subarray(0, pick(bytes.length)));
    case 'bit-flipped': {
      const copy = Buffer.from(bytes);
      for (let flips = 1 + pick(8); flips > 0; flips -= 1) {
        const at = pick(copy.length);
        copy[at] = (copy[at] ?? 0) ^ (1 << pick(8));
      }
      return copy;
    }
    case 'oversized-header': {
      const copy = Buffer.from(bytes);
      const at = 4 * pick(Math.max(1, Math.floor(Math.min(headerBytes, copy.length) / 4)));
      const huge = [0xffffffff, 0x7fffffff, 1e9, 65536][pick(4)] ?? 0xffffffff;
      if (at + 4 <= copy.length) copy.writeUInt32BE(huge, at);
      return copy;
    }
    case 'random':
      return Buffer.from(Array.from({ length: pick(4096) }, () => pick(256)));
  }
}

/** Every case of `count` per mutation kind, each with its own seed so a failure replays. */
function cases(name: string, count: number): { kind: Mutation; seed: number; label: string }[] {
  return mutations.flatMap((kind, k) =>
    Array.from({ length: count }, (_, n) => {
      const seed = 1000 * k + n + 1;
      return { kind, seed, label: `${name} ${kind} #${seed}` };
    }),
  );
}

/** A refusal must be a clear Error, not a crash from deep inside. */
function expectClearRefusal(error: unknown, label: string): void {
  expect(error, label).toBeInstanceOf(Error);
  const { name, message } = error as Error;
  expect(message.trim().length, label).toBeGreaterThan(0);
  expect(['RangeError', 'TypeError', 'SyntaxError'], `${label}: ${message}`).not.toContain(name);
}

let home: string;
let projects: ProjectService;
let service: DatasetService;

beforeAll(() => {
  home = temporaryFolder('rfw-fuzz-');
  projects = new ProjectService(home, new RecentProjects(join(home, 'recent.json')), () => {});
  projects.create(join(home, 'p.rfw'), 'P');
  service = new DatasetService(projects, () => {});
});
afterAll(() => projects.close());

/** Imports through the service; checks the content when it succeeds, the project when not. */
async function fuzzImport(
  source: z.input<typeof DatasetImportSource>,
  label: string,
): Promise<'ok' | 'refused'> {
  const store = projects.requireCurrent();
  const before = store.datasets.list().length;
  const request = DatasetImportRequest.parse({ name: 'fuzz', source });
  try {
    const result = await service.importDataset(request, quietContext());
    const dataset = store.datasets.get(result.datasetId ?? -1);
    // Valid content: every label names a class, the splits add up, every image is stored.
    const classes = dataset.classNames.length;
    expect(dataset.labels.length, label).toBe(dataset.count);
    expect(dataset.split.train + dataset.split.test, label).toBe(dataset.count);
    expect(dataset.split.train, label).toBeGreaterThan(0);
    expect(
      dataset.labels.every((value) => value >= 0 && value < classes),
      label,
    ).toBe(true);
    const all = Array.from({ length: dataset.count }, (_, index) => index);
    const pixels = store.datasets.readImages(dataset, all);
    expect(pixels.length, label).toBe(dataset.count * dataset.imageShape.reduce((a, b) => a * b));
    store.datasets.delete(dataset.id);
    return 'ok';
  } catch (error) {
    expectClearRefusal(error, label);
    expect(store.datasets.list().length, label).toBe(before);
    return 'refused';
  }
}

describe('importer fuzzing (seeded)', () => {
  it('IDX files, plain and gzipped', async () => {
    const folder = join(home, 'idx');
    const images = idxImagesBytes(12, 4, 3);
    const labels = idxLabelsBytes(cyclingLabels(12, 4));
    const outcomes = { ok: 0, refused: 0 };
    for (const { kind, seed, label } of cases('idx', 10)) {
      const random = mulberry32(seed);
      const damageImages = random() < 0.5;
      const gzip = random() < 0.3;
      rmSync(folder, { recursive: true, force: true });
      mkdirSync(folder);
      const imageBytes = damageImages ? mutate(images, kind, random, 16) : images;
      const labelBytes = damageImages ? labels : mutate(labels, kind, random, 8);
      const suffix = gzip ? '.gz' : '';
      const pack = (bytes: Buffer): Buffer => (gzip ? gzipSync(bytes) : bytes);
      writeFileSync(join(folder, `train-images-idx3-ubyte${suffix}`), pack(imageBytes));
      writeFileSync(join(folder, `train-labels-idx1-ubyte${suffix}`), pack(labelBytes));
      const source = { format: 'idx-folder', folder, classNames: { kind: 'numbered' } } as const;
      outcomes[await fuzzImport(source, label)] += 1;
    }
    expect(outcomes.refused).toBeGreaterThan(0);
  });

  it('CIFAR-10 batches', async () => {
    const folder = join(home, 'cifar');
    const batch = cifarBytes([[0], [1], [2], [3]]);
    for (const { kind, seed, label } of cases('cifar', 6)) {
      rmSync(folder, { recursive: true, force: true });
      mkdirSync(folder);
      writeFileSync(join(folder, 'data_batch_1.bin'), mutate(batch, kind, mulberry32(seed), 4));
      const source = { format: 'cifar-10', folder, classNames: { kind: 'numbered' } } as const;
      await fuzzImport(source, label);
    }
  });

  it('image folders (PNG and JPEG through sharp)', async () => {
    const folder = join(home, 'images');
    const pristine = join(home, 'pristine');
    await writeImage(join(pristine, 'a.png'), 6, 5, [200, 10, 10]);
    await writeImage(join(pristine, 'b.jpg'), 6, 5, [10, 200, 10]);
    for (const { kind, seed, label } of cases('image', 5)) {
      const random = mulberry32(seed);
      rmSync(folder, { recursive: true, force: true });
      mkdirSync(join(folder, 'cat'), { recursive: true });
      mkdirSync(join(folder, 'dog'), { recursive: true });
      copyFileSync(join(pristine, 'a.png'), join(folder, 'cat', 'a.png'));
      copyFileSync(join(pristine, 'b.jpg'), join(folder, 'dog', 'b.jpg'));
      const victim = random() < 0.5 ? 'a.png' : 'b.jpg';
      const damaged = mutate(readFileSync(join(pristine, victim)), kind, random, 24);
      writeFileSync(join(folder, victim === 'a.png' ? 'cat' : 'dog', `x-${victim}`), damaged);
      const source = {
        format: 'image-folder',
        folder,
        size: random() < 0.5 ? null : { height: 4, width: 4 },
        color: 'rgb',
        testFraction: 0,
      } as const;
      await fuzzImport(source, label);
      const preview = await service.preview(
        DatasetImportRequest.parse({ name: 'x', source }).source,
      );
      for (const problem of preview.problems) expect(problem.length, label).toBeGreaterThan(0);
    }
  });

  it('tfjs-layers model folders: the main-thread checks and the engine import', async () => {
    await useBackend('cpu');
    const folder = join(home, 'model');
    mkdirSync(folder);
    const weights = [
      { name: 'logits/kernel', shape: [12, 3], dtype: 'float32' },
      { name: 'logits/bias', shape: [3], dtype: 'float32' },
    ];
    const topology = {
      class_name: 'Sequential',
      config: {
        name: 'fuzz',
        layers: [
          { class_name: 'Flatten', config: { name: 'f', batch_input_shape: [null, 2, 2, 3] } },
          { class_name: 'Dense', config: { name: 'logits', units: 3, activation: 'linear' } },
        ],
      },
    };
    const json = Buffer.from(
      JSON.stringify({
        format: 'layers-model',
        modelTopology: topology,
        weightsManifest: [{ paths: ['weights.bin'], weights }],
      }),
    );
    const bin = Buffer.from(new Float32Array(39).map((_, i) => i / 39).buffer);
    let engineCases = 0;
    for (const { kind, seed, label } of cases('layers', 6)) {
      const random = mulberry32(seed);
      const damageJson = random() < 0.5;
      writeFileSync(join(folder, 'model.json'), damageJson ? mutate(json, kind, random, 0) : json);
      writeFileSync(join(folder, 'weights.bin'), damageJson ? bin : mutate(bin, kind, random, 0));
      const path = join(folder, 'model.json');
      let peeked = true;
      try {
        peekLayersModel(path);
      } catch (error) {
        expectClearRefusal(error, `${label} (peek)`);
        peeked = false;
      }
      // What the main thread lets through goes to the engine, as an import would.
      if (!peeked || engineCases >= 8) continue;
      engineCases += 1;
      try {
        const imported = await importLayersModelFiles(path, { imageShape: [2, 2, 3] });
        expect(imported.spec.numClasses, label).toBe(3);
        for (const weight of imported.weights) {
          expect(weight.data.length, label).toBe(weight.shape.reduce((a, b) => a * b, 1));
        }
      } catch (error) {
        expectClearRefusal(error, `${label} (engine)`);
      }
    }
  });

  it('project files: a damaged .rfw is refused and left as it was', () => {
    const store = projects.requireCurrent();
    store.datasets.insert({
      name: 'tiny',
      imageShape: [2, 2, 1],
      classNames: ['a', 'b'],
      source: 'test',
      split: { method: 'given', seed: 0, train: 2, test: 0 },
      pixels: new Uint8Array(8),
      labels: Int32Array.from([0, 1]),
      splits: new Uint8Array(2),
    });
    const original = join(home, 'original.rfw');
    projects.saveAs(original);
    projects.close();
    const pristine = readFileSync(original);
    const digest = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
    let refused = 0;
    for (const { kind, seed, label } of cases('project', 5)) {
      const path = join(home, `damaged-${seed}.rfw`);
      const damaged = mutate(pristine, kind, mulberry32(seed), 100);
      writeFileSync(path, damaged);
      try {
        openProjectDatabase(path).close();
      } catch (error) {
        refused += 1;
        expectClearRefusal(error, label);
        expect(digest(readFileSync(path)), `${label}: the refused file changed`).toBe(
          digest(damaged),
        );
      }
    }
    // Flips in free pages or unused bytes can leave a valid project; most damage cannot.
    expect(refused).toBeGreaterThan(0);
    projects.open(original);
  });
});
