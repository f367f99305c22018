/**
 * Robustness evaluations as project runs, on the real engine worker (out/main/engine-worker.js,
 * built by `npm run build`, which `npm test` runs first), at tiny settings and split over two
 * workers: the stored result (curves, worst case, sanity checks) reads back through the contract
 * after a reopen, and a config that does not fit the project is refused before a run row exists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EvaluationConfig,
  type EvaluationConfigInput,
} from '../../../src-main/common/evaluation-schemas';
import { methods } from '../../../src-main/common/contract';
import type { Workbench } from '../../../src-main/core/workbench';
import { workerWorkbench, type WorkerWorkbench } from './worker-workbench';

describe('evaluations on the real engine worker', () => {
  let workbench: Workbench;
  let path: string;
  let datasetId: number;
  const modelIds: number[] = [];
  let end: WorkerWorkbench['end'];
  const progress: { runId: number; fraction: number; etaSeconds: number | null }[] = [];

  const config = (patch: Partial<EvaluationConfigInput> = {}): EvaluationConfig =>
    EvaluationConfig.parse({
      modelId: modelIds[0],
      datasetId,
      count: 70,
      constraint: 'linf',
      epsilons: [0.3, 0.1],
      attacks: [
        { method: 'fgsm' },
        { method: 'pgd', steps: 5 },
        { method: 'apgd-ce', iterations: 5 },
        { method: 'square', queries: 20 },
      ],
      transferModelId: modelIds[1],
      seed: 3,
      ...patch,
    });

  beforeAll(async () => {
    const setup = workerWorkbench(2, 'rfw-evaluations-');
    ({ workbench, path, datasetId, end } = setup);
    workbench.subscribe((event, payload) => {
      if (event !== 'job.progress') return;
      const { runId, fraction, etaSeconds } = payload as (typeof progress)[number];
      progress.push({ runId, fraction, etaSeconds });
    });
    for (const seed of [1, 2]) modelIds.push(await setup.trainTinyModel(seed));
  }, 240_000);

  afterAll(async () => {
    await workbench.dispose();
  });

  it('stores the curves, the worst case and the sanity checks of an evaluation run', async () => {
    const started = await workbench.handlers['jobs.startEvaluation'](config());
    const { state } = await end(started);
    const run = workbench.projects.requireCurrent().runs.get(started.runId);
    expect({ state, error: run.error, kind: run.kind }).toEqual({
      state: 'completed',
      error: null,
      kind: 'evaluation',
    });
    const read = await workbench.handlers['runs.evaluationResult']({ runId: started.runId });
    // What the shells send back is checked against the contract's output schema.
    const { result } = methods['runs.evaluationResult'].output.parse({ ...read });
    expect(result.examples).toBe(70);
    expect(result.epsilons).toEqual([0, 0.1, 0.3]);
    expect(result.curves.map((c) => c.method)).toEqual([
      'fgsm',
      'pgd',
      'apgd-ce',
      'square',
      'transfer',
    ]);
    for (const curve of result.curves) {
      expect(curve.accuracy[0]).toBeCloseTo(result.cleanAccuracy, 10);
    }
    // A standard MNIST model after one short epoch: PGD at ε = 0.3 breaks most images.
    expect(result.cleanAccuracy).toBeGreaterThan(0.7);
    expect(result.worstCase[2]).toBeLessThan(0.3);
    const passed = (name: string) => result.checks.find((c) => c.name === name)?.passed;
    expect(passed('ε = 0 gives the clean accuracy')).toBe(true);
    expect(passed('every returned example is inside the ε-ball and [0,1]')).toBe(true);
    expect(passed('input gradients are finite and non-zero')).toBe(true);
    expect(result.checks.length).toBeGreaterThanOrEqual(12);
    expect(result.warnings).toEqual(result.checks.filter((c) => !c.passed).map((c) => c.name));
    const mine = progress.filter((p) => p.runId === started.runId);
    // The runner's heartbeat reports the run (with an ETA once a fraction is known).
    expect(mine.length).toBeGreaterThan(0);
    for (const p of mine) expect(p.fraction).toBeGreaterThanOrEqual(0);
    expect(run.name).toContain('Evaluate m1');
  }, 300_000);

  it('reopens with the evaluation result intact', async () => {
    const before = workbench.projects
      .requireCurrent()
      .runs.list()
      .filter((r) => r.kind === 'evaluation');
    const results = await Promise.all(
      before.map((r) => workbench.handlers['runs.evaluationResult']({ runId: r.id })),
    );
    workbench.projects.close();
    workbench.projects.open(path);
    for (const [i, run] of before.entries()) {
      expect(await workbench.handlers['runs.evaluationResult']({ runId: run.id })).toEqual(
        results[i],
      );
    }
  });

  it('refuses what does not fit before writing anything', () => {
    const store = workbench.projects.requireCurrent();
    const runsBefore = store.runs.list().length;
    expect(() => workbench.handlers['jobs.startEvaluation'](config({ modelId: 999 }))).toThrow(
      /no model 999/,
    );
    expect(() =>
      workbench.handlers['jobs.startEvaluation'](config({ transferModelId: 998 })),
    ).toThrow(/no model 998/);
    expect(
      methods['jobs.startEvaluation'].input.safeParse({ ...config(), constraint: 'unconstrained' })
        .success,
    ).toBe(false);
    expect(store.runs.list().length).toBe(runsBefore);
  });
});
