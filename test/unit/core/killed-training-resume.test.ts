/**
 * Kill -9 in the middle of a training run, then resume it: the run continues from its last
 * epoch-end checkpoint in the project file and ends with exactly the weights of the same run
 * made without a kill. Runs the built CLI (out/main/cli.js) in a child process so that the kill
 * is real, and the built engine worker (out/main/engine-worker.js) for the resume.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { EventName, EventPayload } from '../../../src-main/common/contract';
import type { TrainingConfig } from '../../../src-main/common/training-schemas';
import { Workbench } from '../../../src-main/core/workbench';

const cli = resolve('out/main/cli.js');
const workerPath = resolve('out/main/engine-worker.js');

function checkpointCount(path: string): number {
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      return (
        db.prepare("SELECT COUNT(*) AS n FROM artifacts WHERE kind = 'checkpoint'").get() as {
          n: number;
        }
      ).n;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

/** Runs one workbench job to its end; resolves with its final state. */
function finished(workbench: Workbench, jobId: string): Promise<string> {
  return new Promise((done) => {
    const stop = workbench.subscribe(<E extends EventName>(event: E, payload: EventPayload<E>) => {
      if (event !== 'job.finished') return;
      const end = payload as EventPayload<'job.finished'>;
      if (end.jobId !== jobId) return;
      stop();
      done(end.error ?? end.state);
    });
  });
}

describe('a training process killed with SIGKILL, then resumed', () => {
  it('continues from its checkpoint and ends with the weights of an uninterrupted run', async () => {
    for (const built of [cli, workerPath]) {
      if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first`);
    }
    const home = mkdtempSync(join(tmpdir(), 'rfw-resume-'));
    const project = join(home, 'killed.rfw');
    const workbench = new Workbench({
      homeDir: home,
      engineWorkerPath: workerPath,
      forcedBackend: null,
      shell: 'cli',
      version: 'test',
      sqliteNativeBinding: null,
      engineWorkers: 1,
    });
    try {
      workbench.projects.createDemo(project);
      workbench.projects.close();

      const child = spawn(
        process.execPath,
        [cli, 'train', '--project', project, '--epochs', '5', '--batch', '32', '--limit', '320'],
        { env: { ...process.env, RFW_HOME: home }, stdio: 'ignore' },
      );
      const exited = new Promise<NodeJS.Signals | null>((done) =>
        child.on('exit', (_code, signal) => done(signal)),
      );
      const started = Date.now();
      while (checkpointCount(project) < 1) {
        if (Date.now() - started > 120_000)
          throw new Error('training wrote no checkpoint in 120 s');
        await new Promise((r) => setTimeout(r, 50));
      }
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');

      workbench.projects.open(project);
      const store = workbench.projects.requireCurrent();
      const [killed] = store.runs.list();
      expect(killed?.status).toBe('interrupted');
      const runId = killed?.id ?? 0;
      expect(store.models.list().length).toBe(0);

      const resumed = await workbench.handlers['jobs.resumeTraining']({ runId });
      expect(await finished(workbench, resumed.jobId)).toBe('completed');
      const run = store.runs.get(runId);
      expect(run.status).toBe('completed');
      expect(run.error).toBeNull();
      // One value per (step, key): the epoch cut short was logged again, not twice.
      const points = store.metrics.forRun(runId);
      expect(new Set(points.map((p) => `${p.step}|${p.key}`)).size).toBe(points.length);
      expect(points.filter((p) => p.key === 'test.accuracy').length).toBe(5);
      expect(
        (
          store.db
            .prepare("SELECT COUNT(*) AS n FROM artifacts WHERE kind = 'checkpoint'")
            .get() as {
            n: number;
          }
        ).n,
      ).toBe(0);

      // The same config, never interrupted.
      const again = await workbench.handlers['jobs.startTraining'](run.config as TrainingConfig);
      expect(await finished(workbench, again.jobId)).toBe('completed');
      const models = store.models.list();
      const weightsOf = (trainingRunId: number) => {
        const model = models.find((m) => m.trainingRunId === trainingRunId);
        return store.models.weights(model?.id ?? 0).flatMap((w) => Array.from(w.data));
      };
      const resumedWeights = weightsOf(runId);
      expect(resumedWeights.length).toBeGreaterThan(1000);
      expect(resumedWeights).toEqual(weightsOf(again.runId));
    } finally {
      await workbench.dispose();
    }
  }, 300_000);
});
