/**
 * Features-lab views as project runs on the real engine worker: the run completes, its pictures
 * are float32 artifacts, the figure reopens through runs.featuresResult, intermediate frames are
 * streamed as job.frames events, and a config that does not fit the dataset fails before a run
 * row exists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeaturesConfig } from '../../../src-main/common/features-schemas';
import { workerWorkbench, type WorkerWorkbench } from './worker-workbench';

let bench: WorkerWorkbench;
let standardId = 0;
let otherId = 0;
const frameEvents: { runId: number; keys: string[] }[] = [];

beforeAll(async () => {
  bench = workerWorkbench(1, 'rfw-features-');
  bench.workbench.subscribe((event, payload) => {
    if (event !== 'job.frames') return;
    const { runId, frames } = payload as { runId: number; frames: { key: string }[] };
    frameEvents.push({ runId, keys: frames.map((frame) => frame.key) });
  });
  standardId = await bench.trainTinyModel(1);
  otherId = await bench.trainTinyModel(2);
}, 120_000);

afterAll(async () => {
  await bench.workbench.dispose();
});

async function runView(config: unknown) {
  const { handlers } = bench.workbench;
  const started = await handlers['jobs.startFeatures'](FeaturesConfig.parse(config));
  const ended = await bench.end(started);
  expect(ended).toEqual({ state: 'completed', error: null });
  return handlers['runs.featuresResult']({ runId: started.runId });
}

describe('features jobs', () => {
  it('inverts representations for two models side by side and stores every picture', async () => {
    const run = await runView({
      view: 'inversion',
      name: 'inversion test',
      datasetId: bench.datasetId,
      modelIds: [standardId, otherId],
      seed: 3,
      targetIndices: [9000, 9001],
      start: { kind: 'noise' },
      steps: 12,
      stepSize: 0.5,
    });
    const { result } = run;
    expect(result.panels.map((panel) => panel.modelId)).toEqual([standardId, otherId]);
    for (const curve of result.curves) {
      expect(curve.values).toHaveLength(13);
      expect(curve.values.at(-1)).toBeLessThan(curve.values[0] ?? 0);
    }
    const store = bench.workbench.projects.requireCurrent();
    const cell = result.panels[0]?.rows[1]?.cells[2];
    expect(cell?.numbers['repr. distance']).toBeGreaterThan(0);
    const artifact = store.artifacts.get(cell?.artifactId ?? 0);
    expect(artifact).toMatchObject({ runId: run.runId, dtype: 'float32', shape: [28, 28, 1] });
    expect(result.table.rows).toHaveLength(4);
    const streamed = frameEvents.filter((event) => event.runId === run.runId);
    expect(streamed.length).toBeGreaterThanOrEqual(2);
    expect(streamed.flatMap((event) => event.keys)).toContain(`model-${otherId}/1`);
  }, 120_000);

  it('lists completed views in the gallery with a cover picture and an editable note', async () => {
    const { handlers } = bench.workbench;
    const [latest] = handlers['gallery.list']({});
    expect(latest?.view).toBe('inversion');
    expect(latest?.thumbnail?.display).toBe('image');
    const runId = latest?.runId ?? 0;
    handlers['notes.set']({ subjectKind: 'run', subjectId: runId, body: '  robust looks like a 3 ' });
    expect(handlers['notes.get']({ subjectKind: 'run', subjectId: runId })).toBe(
      'robust looks like a 3',
    );
    expect(handlers['gallery.list']({})[0]?.note).toBe('robust looks like a 3');
    handlers['notes.set']({ subjectKind: 'run', subjectId: runId, body: ' ' });
    expect(handlers['gallery.list']({})[0]?.note).toBe('');
    expect(() =>
      handlers['notes.set']({ subjectKind: 'run', subjectId: 99_999, body: 'x' }),
    ).toThrow(/no run 99999/);
  });

  it('refuses an image index outside the dataset before a run exists', async () => {
    const store = bench.workbench.projects.requireCurrent();
    const before = store.runs.list().length;
    expect(() =>
      bench.workbench.handlers['jobs.startFeatures'](
        FeaturesConfig.parse({
          view: 'inversion',
          name: 'bad',
          datasetId: bench.datasetId,
          modelIds: [standardId],
          seed: 0,
          targetIndices: [10_000],
          start: { kind: 'noise' },
          steps: 1,
          stepSize: 0.1,
        }),
      ),
    ).toThrow(/image 10000 is not in dataset/);
    expect(store.runs.list()).toHaveLength(before);
  });
});
