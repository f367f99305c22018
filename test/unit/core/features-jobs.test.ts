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

  const base = () => ({
    datasetId: bench.datasetId,
    modelIds: [standardId, otherId],
    seed: 5,
  });

  /** Saliency of two test images with few samples and steps, the randomization check on. */
  const saliency = () => ({
    ...base(),
    view: 'saliency',
    imageIndices: [9000, 9001],
    explain: 'label',
    smoothGradSamples: 3,
    smoothGradNoise: 0.15,
    integratedGradientsSteps: 4,
    integratedGradientsBaseline: 'black',
    randomizationCheck: true,
  });

  it('runs saliency with the randomization check: heatmaps over their images, ρ per map', async () => {
    const { result } = await runView({
      ...saliency(),
      name: 'saliency test',
      methods: ['gradient', 'smoothgrad', 'integrated-gradients'],
    });
    const [row, randomRow] = result.panels[1]?.rows ?? [];
    // image, then the map of each method; under it the same with random weights
    expect(row?.cells.map((cell) => cell.display)).toEqual(['image', ...Array(3).fill('heatmap')]);
    expect(randomRow?.cells.map((cell) => cell.caption)).toEqual([
      'random weights',
      'gradient',
      'SmoothGrad',
      'integrated gradients',
    ]);
    expect(randomRow?.cells[1]?.artifactId).not.toBe(row?.cells[1]?.artifactId);
    expect(row?.cells[1]?.baseArtifactId).toBe(row?.cells[0]?.artifactId);
    expect(row?.cells[1]?.numbers['ρ vs random']).toBeLessThan(1);
    expect(row?.cells[3]?.numbers['completeness gap']).toBeGreaterThanOrEqual(0);
    const map = bench.workbench.projects
      .requireCurrent()
      .artifacts.get(row?.cells[1]?.artifactId ?? 0);
    expect(map.shape).toEqual([28, 28]);
    expect(result.table.rows).toHaveLength(2 * 2 * 3);
  }, 120_000);

  it('runs the cascading randomization: a column per layer from the top, ρ curves per method', async () => {
    const cascade = { ...saliency(), methods: ['gradient', 'integrated-gradients'] };
    const { result } = await runView({
      ...cascade,
      name: 'cascade test',
      randomizationMode: 'cascading',
    });
    const layers = ['fc2', 'fc1', 'conv2', 'conv1'];
    const panel = result.panels[0];
    expect(panel?.title).toContain(layers.join(' → '));
    // Per image and method a row: the image, the trained map, then one map per stage.
    expect(panel?.rows.map((row) => row.caption)).toHaveLength(2 * 2);
    const row = panel?.rows[0];
    expect(row?.cells.map((cell) => cell.caption)).toEqual([
      expect.stringContaining('explaining'),
      'gradient, trained',
      ...layers.map((layer) => `+ ${layer}`),
    ]);
    expect(row?.cells[2]?.baseArtifactId).toBe(row?.cells[0]?.artifactId);
    // Curves: 2 models × 2 methods, ρ = 1 for the trained model and then one value per stage.
    expect(result.curves).toHaveLength(4);
    for (const curve of result.curves) {
      expect(curve.values).toHaveLength(1 + layers.length);
      expect(curve.values[0]).toBe(1);
    }
    expect(result.table.rows).toHaveLength(2 * 2 * 2 * layers.length);

    // The last stage re-draws every layer from the full check's seed: the same random model, so
    // the same ρ as the full check's for the same map.
    const full = await runView({ ...cascade, name: 'full check', randomizationMode: 'full' });
    const fullRho = full.result.panels[0]?.rows[0]?.cells[1]?.numbers['ρ vs random'];
    const lastStage = row?.cells.at(-1)?.numbers['ρ vs trained'];
    expect(typeof fullRho).toBe('number');
    expect(lastStage).toBeCloseTo(fullRho ?? NaN, 6);
  }, 120_000);

  it('interpolates, visualizes a unit, generates, super-resolves and in-paints', async () => {
    const interpolation = await runView({
      ...base(),
      view: 'interpolation',
      name: 'interpolation test',
      fromIndex: 9000,
      toIndex: 9001,
      frames: 4,
      steps: 3,
      stepSize: 0.1,
    });
    expect(interpolation.result.panels.map((panel) => panel.rows[0]?.cells.length)).toEqual([
      4, 4, 4,
    ]);

    const features = await runView({
      ...base(),
      view: 'feature-visualization',
      name: 'features test',
      unit: 5,
      topK: 3,
      searchLimit: 50,
      steps: 4,
      stepSize: 0.1,
      addToIndices: [9002],
      strength: 1,
    });
    const added = features.result.panels.find((panel) => panel.scrubBy === 'L2 change');
    const path = added?.rows[0]?.cells ?? [];
    expect(path.length).toBeGreaterThan(2);
    expect(path[0]?.numbers['L2 change']).toBe(0);
    for (const cell of path) expect(cell.numbers['L2 change']).toBeLessThanOrEqual(1 + 1e-4);
    const top = features.result.panels[0]?.rows[0]?.cells.map(
      (cell) => cell.numbers['activation'] ?? NaN,
    );
    expect(top).toHaveLength(3);
    expect([...(top ?? [])].sort((a, b) => b - a)).toEqual(top);

    const generation = await runView({
      ...base(),
      view: 'generation',
      name: 'generation test',
      classes: [3, 7],
      samplesPerClass: 1,
      seedDownsample: 4,
      epsilon: 2.9,
      steps: 3,
      stepSize: 0.072,
    });
    expect(generation.result.panels).toHaveLength(2);
    const [seedCell, generatedCell] = generation.result.panels[0]?.rows[1]?.cells ?? [];
    expect(seedCell?.caption).toBe('seed');
    expect(generation.result.panels[1]?.rows[1]?.cells[0]?.artifactId).toBe(seedCell?.artifactId);
    expect(generatedCell?.numbers['p(class)']).toBeGreaterThan(0);

    await runView({
      ...base(),
      view: 'super-resolution',
      name: 'super-resolution test',
      imageIndices: [9003],
      factor: 4,
      epsilon: 0.58,
      steps: 3,
      stepSize: 0.072,
    });

    const mask = Array.from({ length: 784 }, (_, p) => (Math.floor(p / 28) >= 14 ? 1 : 0) as 0 | 1);
    const inpainting = await runView({
      ...base(),
      view: 'inpainting',
      name: 'inpainting test',
      imageIndices: [9004],
      mask,
      fill: 'seed',
      steps: 5,
      stepSize: 0.05,
    });
    const store = bench.workbench.projects.requireCurrent();
    const [original, , painted] = inpainting.result.panels[0]?.rows[0]?.cells ?? [];
    const before = new Float32Array(
      store.artifacts.get(original?.artifactId ?? 0).data.buffer.slice(0),
    );
    const after = new Float32Array(
      store.artifacts.get(painted?.artifactId ?? 0).data.buffer.slice(0),
    );
    let changedInside = 0;
    for (let p = 0; p < 784; p++) {
      if (mask[p] === 0) expect(after[p]).toBe(before[p]);
      else if (after[p] !== before[p]) changedInside += 1;
    }
    expect(changedInside).toBeGreaterThan(0);
  }, 300_000);

  it('edits counterfactually with each model while reading both along the path', async () => {
    const { result } = await runView({
      ...base(),
      view: 'counterfactual',
      name: 'counterfactual test',
      imageIndices: [9000],
      targetClass: 7,
      epsilon: 3,
      steps: 8,
      stepSize: 0.5,
    });
    expect(result.panels.map((panel) => panel.scrubBy)).toEqual(['L2 change', 'L2 change']);
    const frames = result.panels[0]?.rows[0]?.cells ?? [];
    expect(frames).toHaveLength(9);
    const last = frames.at(-1)?.numbers ?? {};
    expect(Object.keys(last).filter((key) => key.startsWith('p(7)'))).toHaveLength(2);
    expect(last['L2 change']).toBeLessThanOrEqual(3 + 1e-4);
    expect(last['p(7) m1']).toBeGreaterThan(frames[0]?.numbers['p(7) m1'] ?? 1);
  }, 120_000);

  it('lists completed views in the gallery with a cover picture and an editable note', async () => {
    const { handlers } = bench.workbench;
    const [latest] = await handlers['gallery.list']({});
    expect(latest?.view).toBe('counterfactual');
    expect(latest?.thumbnail?.display).toBe('image');
    const runId = latest?.runId ?? 0;
    handlers['notes.set']({
      subjectKind: 'run',
      subjectId: runId,
      body: '  robust looks like a 3 ',
    });
    expect(handlers['notes.get']({ subjectKind: 'run', subjectId: runId })).toBe(
      'robust looks like a 3',
    );
    expect((await handlers['gallery.list']({}))[0]?.note).toBe('robust looks like a 3');
    await handlers['notes.set']({ subjectKind: 'run', subjectId: runId, body: ' ' });
    expect((await handlers['gallery.list']({}))[0]?.note).toBe('');
    expect(() =>
      handlers['notes.set']({ subjectKind: 'run', subjectId: 99_999, body: 'x' }),
    ).toThrow(/no run 99999/);
    // How the run is drawn is saved with it too.
    expect(handlers['runs.display']({ runId })).toBeNull();
    handlers['runs.setDisplay']({ runId, display: { colormap: 'viridis', opacity: 0.3 } });
    expect(handlers['runs.display']({ runId })).toEqual({ colormap: 'viridis', opacity: 0.3 });
    expect(() =>
      handlers['runs.setDisplay']({ runId: 99_999, display: { colormap: 'magma', opacity: 1 } }),
    ).toThrow(/no run 99999/);
  });

  it('cancels a long view between two steps and keeps none of its pictures', async () => {
    const { handlers } = bench.workbench;
    const started = await handlers['jobs.startFeatures'](
      FeaturesConfig.parse({
        ...base(),
        view: 'inversion',
        name: 'cancelled inversion',
        targetIndices: [9000],
        start: { kind: 'noise' },
        steps: 20_000,
        stepSize: 0.1,
      }),
    );
    // Wait for the first streamed frame: the job is inside its step loop.
    await new Promise<void>((resolve) => {
      const stop = bench.workbench.subscribe((event, payload) => {
        if (event === 'job.frames' && (payload as { runId: number }).runId === started.runId) {
          stop();
          resolve();
        }
      });
    });
    const ended = bench.end(started);
    await handlers['jobs.cancel']({ jobId: started.jobId });
    expect(await ended).toEqual({ state: 'cancelled', error: null });
    const store = bench.workbench.projects.requireCurrent();
    expect(store.runs.get(started.runId).status).toBe('cancelled');
    const stored = store.db
      .prepare('SELECT COUNT(*) AS count FROM artifacts WHERE run_id = ?')
      .get(started.runId) as { count: number };
    expect(stored.count).toBe(0);
  }, 120_000);

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
