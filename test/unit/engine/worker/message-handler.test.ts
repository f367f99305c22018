import { describe, expect, it } from 'vitest';
import { exportWeights } from '../../../../src-main/engine/models/model-weights';
import { createModel } from '../../../../src-main/engine/models/create-model';
import { EngineMessageHandler } from '../../../../src-main/engine/worker/message-handler';
import type { AttackJobSpec, FromWorker } from '../../../../src-main/engine/protocol';
import { mnistDigits } from '../mnist-fixture';

const digits = mnistDigits(2);

function attackSpec(epsilon: number, steps = 3): AttackJobSpec {
  const model = createModel(
    { architecture: 'small-cnn', inputShape: [28, 28, 1], numClasses: 10 },
    1,
  );
  const weights = exportWeights(model);
  model.dispose();
  return {
    kind: 'attack',
    config: {
      modelId: 1,
      datasetId: 1,
      indices: [0],
      method: 'pgd',
      perturbation: { constraint: 'linf', epsilon, steps, stepSize: 0.05, randomStart: false },
      restarts: 1,
      targetClass: null,
      seed: 1,
    },
    model: { architecture: 'small-cnn', inputShape: [28, 28, 1], numClasses: 10 },
    weights,
    batchOffset: 0,
    images: digits.images,
    labels: digits.labels,
  };
}

describe('engine worker message handler', () => {
  it('inits, runs, reports failures and cancellation, and keeps serving', async () => {
    const posted: { message: FromWorker; transfer: ArrayBuffer[] }[] = [];
    const handler = new EngineMessageHandler((message, transfer = []) =>
      posted.push({ message, transfer }),
    );
    await handler.handle({ type: 'init', forcedBackend: 'wasm' });
    const ready = posted[0]?.message;
    expect(ready?.type).toBe('ready');
    if (ready?.type !== 'ready') return;
    expect(ready.backend.active).toBe('wasm');
    expect(ready.backend.forcedBy).not.toBeNull();
    expect(ready.engineVersion).toMatch(/rfw-engine .*tfjs-core 4\.22\.0/);

    const flag = new SharedArrayBuffer(4);
    await handler.handle({
      type: 'run',
      jobId: 'bad',
      spec: attackSpec(-1),
      cancelFlag: flag,
      kernelThreads: 1,
    });
    expect(posted.at(-1)?.message).toEqual({
      type: 'failed',
      jobId: 'bad',
      error: expect.stringMatching(/ε must be greater than 0/),
    });

    await handler.handle({
      type: 'run',
      jobId: 'good',
      spec: attackSpec(0.1),
      cancelFlag: flag,
      kernelThreads: 1,
    });
    const done = posted.at(-1);
    expect(done?.message.type).toBe('done');
    if (done?.message.type === 'done' && done.message.result.kind === 'attack') {
      expect(done.transfer).toEqual([done.message.result.adversarial.buffer]);
    }
    expect(posted.some((p) => p.message.type === 'progress' && p.message.jobId === 'good')).toBe(
      true,
    );

    const cancelFlag = new SharedArrayBuffer(4);
    Atomics.store(new Int32Array(cancelFlag), 0, 1);
    await handler.handle({
      type: 'run',
      jobId: 'stop',
      spec: attackSpec(0.1, 50),
      cancelFlag,
      kernelThreads: 1,
    });
    expect(posted.at(-1)?.message).toEqual({ type: 'cancelled', jobId: 'stop' });
  });

  it('reports a job whose result cannot be posted as failed, and runs the next job', async () => {
    const posted: FromWorker[] = [];
    // A port that refuses the first 'done' (as postMessage does with an uncloneable value).
    let refuseDone = true;
    const handler = new EngineMessageHandler((message) => {
      if (message.type === 'done' && refuseDone) {
        refuseDone = false;
        throw new Error('could not be cloned');
      }
      posted.push(message);
    });
    await handler.handle({ type: 'init', forcedBackend: 'wasm' });
    const flag = new SharedArrayBuffer(4);
    const run = (jobId: string) =>
      handler.handle({
        type: 'run',
        jobId,
        spec: attackSpec(0.1),
        cancelFlag: flag,
        kernelThreads: 1,
      });
    await run('unpostable');
    expect(posted.at(-1)).toEqual({
      type: 'failed',
      jobId: 'unpostable',
      error: 'could not be cloned',
    });
    await run('next');
    expect(posted.at(-1)?.type).toBe('done');
  });

  it('keeps serving when even the failure of a job cannot be posted', async () => {
    const posted: FromWorker[] = [];
    let refuse = 2;
    const handler = new EngineMessageHandler((message) => {
      if (message.type !== 'ready' && message.type !== 'progress' && refuse > 0) {
        refuse -= 1;
        throw new Error('port closed');
      }
      posted.push(message);
    });
    await handler.handle({ type: 'init', forcedBackend: 'wasm' });
    const flag = new SharedArrayBuffer(4);
    const run = (jobId: string) =>
      handler.handle({
        type: 'run',
        jobId,
        spec: attackSpec(-1),
        cancelFlag: flag,
        kernelThreads: 1,
      });
    await expect(run('lost')).rejects.toThrow('port closed');
    await run('after');
    expect(posted.at(-1)).toMatchObject({ type: 'failed', jobId: 'after' });
  });
});
