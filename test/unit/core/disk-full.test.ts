/**
 * A full disk during training, reproduced on a 30 MB tmpfs holding the project (mounting needs
 * root, as in CI; where it is refused the tests say why and skip). The disk is filled with a file
 * until less than one checkpoint fits, then:
 * - in this process, a training run ends failed with "the disk is full: could not write the
 *   checkpoint of epoch 1 to PROJECT (N MB free)"; the job queued behind it starts and fails
 *   cleanly too; once space is back a third run completes; the workbench answers calls throughout;
 * - the built CLI (out/main/cli.js), in a child process, reports the same failure and exits as a
 *   failed run does (code 1), and `rfw list` then shows the run failed;
 * and the project keeps `PRAGMA integrity_check` ok and the earlier run byte-identical.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetImportRequest } from '../../../src-main/common/dataset-io-schemas';
import { TrainingConfig } from '../../../src-main/common/training-schemas';
import type { ProjectDatabase } from '../../../src-main/db/project-database';
import { workerWorkbench, type WorkerWorkbench } from './worker-workbench';
import { watchUncaught } from './fake-jobs';

const cli = resolve('out/main/cli.js');
/** Room left beside the filler: the metrics of an epoch fit, a small-cnn checkpoint (~2.4 MB) does not. */
const leftBytes = 700_000;

function freeBytes(path: string): number {
  const stats = statfsSync(path);
  return stats.bavail * stats.bsize;
}

/** Fills the file system of `folder` up to `leftBytes` of free space. */
function fillDisk(folder: string): string {
  const filler = join(folder, 'filler.bin');
  rmSync(filler, { force: true });
  const size = freeBytes(folder) - leftBytes;
  if (size > 0) writeFileSync(filler, Buffer.alloc(size, 1));
  return filler;
}

/** Everything the project holds about one run, as one hash (blobs included). */
function runFingerprint(db: ProjectDatabase, runId: number): string {
  const rows = [
    db.prepare('SELECT * FROM runs WHERE id = ?').all(runId),
    db.prepare('SELECT * FROM metrics WHERE run_id = ? ORDER BY rowid').all(runId),
    db.prepare('SELECT * FROM models WHERE training_run_id = ? ORDER BY id').all(runId),
    db.prepare('SELECT * FROM artifacts WHERE run_id = ? ORDER BY id').all(runId),
  ];
  const text = JSON.stringify(rows, (_key, value: unknown) =>
    value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value,
  );
  return createHash('sha256').update(text).digest('hex');
}

function training(datasetId: number, modelName: string, epochs: number): TrainingConfig {
  return TrainingConfig.parse({
    datasetId,
    modelName,
    architecture: 'small-cnn',
    epochs,
    batchSize: 32,
    learningRate: 0.002,
    optimizer: 'adam',
    seed: 3,
    trainLimit: 256,
    adversarial: null,
    validation: null,
  });
}

function runCli(
  args: string[],
  home: string,
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const child = spawn(process.execPath, [cli, ...args], {
    env: { ...process.env, RFW_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}

describe('a full disk during training', () => {
  const mountPoint = mkdtempSync(join(tmpdir(), 'rfw-full-disk-'));
  const project = join(mountPoint, 'full.rfw');
  let mountRefused: string | null = null;
  let bench: WorkerWorkbench;
  let earlierRunId = 0;
  let earlierFingerprint = '';

  beforeAll(() => {
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=30m', 'tmpfs', mountPoint], {
        stdio: 'pipe',
      });
    } catch (error) {
      mountRefused = `cannot mount a tmpfs at ${mountPoint} (${String(error).split('\n')[0]})`;
      console.warn(`skipping the full-disk tests: ${mountRefused}`);
    }
  });

  afterAll(() => {
    bench?.workbench.projects.close();
    if (mountRefused === null) execFileSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });

  it('in the workbench: the run fails with the disk-full message and everything else goes on', async (context) => {
    if (mountRefused !== null) return context.skip(mountRefused);
    const uncaught = watchUncaught();
    bench = workerWorkbench(1, 'rfw-full-disk-home-');
    const { workbench } = bench;
    workbench.projects.close();
    workbench.projects.createDemo(project);
    workbench.projects.open(project);
    const datasetId = workbench.projects.requireCurrent().datasets.list()[0]?.id ?? 0;
    const start = (name: string, epochs: number) =>
      workbench.handlers['jobs.startTraining'](training(datasetId, name, epochs));

    const earlier = await start('earlier', 1);
    expect((await bench.end(earlier)).state).toBe('completed');
    earlierRunId = earlier.runId;
    const db = workbench.projects.requireCurrent().db;
    earlierFingerprint = runFingerprint(db, earlierRunId);
    // An empty WAL: every later write needs new room on the disk.
    db.pragma('wal_checkpoint(TRUNCATE)');
    const filler = fillDisk(mountPoint);

    const first = await start('first', 3);
    const second = await start('queued behind', 3);
    const firstEnd = await bench.end(first);
    expect(firstEnd.state).toBe('failed');
    expect(firstEnd.error).toMatch(
      new RegExp(
        `^the disk is full: could not write the checkpoint of epoch 1 to ${project} \\(\\d+\\.\\d MB free\\)$`,
      ),
    );
    const secondEnd = await bench.end(second);
    expect(secondEnd.state).toBe('failed');
    expect(secondEnd.error).toMatch(/^the disk is full: could not write .* to /);
    // Still serving.
    expect((await workbench.handlers['jobs.list']({})).length).toBeGreaterThanOrEqual(3);

    // A dataset import (2,000 float32 images, ~6 MB) meets the same full disk: refused in the
    // same words, nothing stored.
    const datasetsBefore = workbench.projects.requireCurrent().datasets.list().length;
    const imported = workbench.datasetService.importDataset(
      DatasetImportRequest.parse({
        name: 'too big for the disk',
        source: {
          format: 'synthetic-features',
          count: 2000,
          numClasses: 10,
          height: 28,
          width: 28,
          channels: 1,
          robust: { correlation: 0.9, contrast: 0.5 },
          nonRobust: { correlation: 1, amplitude: 4 / 255 },
          testFraction: 0.2,
          seed: 1,
        },
      }),
      { signal: new AbortController().signal, report: () => undefined },
    );
    await expect(imported).rejects.toThrow(
      new RegExp(
        `^the disk is full: could not write the dataset "too big for the disk" to ${project} \\(\\d+\\.\\d MB free\\)$`,
      ),
    );
    expect(workbench.projects.requireCurrent().datasets.list()).toHaveLength(datasetsBefore);

    rmSync(filler);
    const third = await start('space is back', 1);
    expect(await bench.end(third)).toEqual({ state: 'completed', error: null });

    const runs = await workbench.handlers['runs.list']({});
    const status = (runId: number) => runs.find((run) => run.id === runId);
    expect(status(first.runId)).toMatchObject({ status: 'failed', error: firstEnd.error });
    expect(status(second.runId)).toMatchObject({ status: 'failed', error: secondEnd.error });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(runFingerprint(db, earlierRunId)).toBe(earlierFingerprint);
    workbench.projects.close();
    uncaught.stop();
    expect(uncaught.seen).toEqual([]);
  });

  it('in the CLI: rfw train reports it and exits as a failed run, and rfw list still works', async (context) => {
    if (mountRefused !== null) return context.skip(mountRefused);
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first`);
    expect(earlierRunId).toBeGreaterThan(0);
    const home = mkdtempSync(join(tmpdir(), 'rfw-full-disk-cli-'));
    const filler = fillDisk(mountPoint);
    const trained = await runCli(
      [
        'train',
        '--project',
        project,
        '--arch',
        'small-cnn',
        '--epochs',
        '3',
        '--limit',
        '256',
        '--no-validation',
        '--name',
        'cli',
      ],
      home,
    );
    expect(trained.stderr).toMatch(
      new RegExp(
        `failed: the disk is full: could not write the checkpoint of epoch 1 to ${project} \\(`,
      ),
    );
    expect(trained.code).toBe(1);
    rmSync(filler);

    const listed = await runCli(['list', '--project', project, '--json'], home);
    expect(listed.code).toBe(0);
    const { runs } = JSON.parse(listed.stdout) as {
      runs: { name: string; status: string; error: string | null }[];
    };
    expect(runs.find((run) => run.name === 'cli')).toMatchObject({ status: 'failed' });

    const db = new Database(project, { readonly: true, fileMustExist: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(runFingerprint(db, earlierRunId)).toBe(earlierFingerprint);
    } finally {
      db.close();
    }
  });
});
