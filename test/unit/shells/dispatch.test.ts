/**
 * dispatchCall is what every shell hands untrusted calls to; it must resolve with an outcome
 * whatever a handler throws, so no shell has to guess whether it can also reject.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { Workbench } from '../../../src-main/core/workbench';
import { dispatchCall } from '../../../src-main/shells/dispatch';

describe('dispatchCall', () => {
  const home = mkdtempSync(join(tmpdir(), 'rfw-dispatch-'));
  const workbench = new Workbench({
    homeDir: home,
    engineWorkerPath: join(home, 'no-engine-needed.js'),
    forcedBackend: null,
    shell: 'cli',
    version: 'test',
    sqliteNativeBinding: null,
    engineWorkers: 1,
  });
  afterEach(() => vi.restoreAllMocks());
  afterAll(() => workbench.dispose());

  it('turns a thrown value without a string form into a failed outcome (case 5)', async () => {
    vi.spyOn(workbench.handlers, 'projects.current').mockImplementation(() => {
      // String() throws on an object with no prototype: the old catch block did just that.
      throw Object.create(null) as Error;
    });
    const outcome = await dispatchCall(workbench, 'projects.current', {});
    expect(outcome).toEqual({
      ok: false,
      error: { code: 'failed', message: expect.stringContaining('cannot be described') },
    });
  });

  it('words a full disk as the jobs do when a call itself cannot write (issue 12 §4)', async () => {
    vi.spyOn(workbench.handlers, 'projects.current').mockImplementation(() => {
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    });
    const outcome = await dispatchCall(workbench, 'projects.current', {});
    expect(outcome).toEqual({
      ok: false,
      error: {
        code: 'failed',
        message: 'the disk is full: could not write this change',
      },
    });
  });

  it('quotes at most the start of a long unknown method name', async () => {
    const outcome = await dispatchCall(workbench, 'x'.repeat(100_000), {});
    expect(outcome.ok).toBe(false);
    expect(JSON.stringify(outcome).length).toBeLessThan(300);
  });

  it('cuts a long input refusal short (zod quotes every unknown key in it)', async () => {
    const input = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [`${'k'.repeat(10_000)}${i}`, i]),
    );
    const outcome = await dispatchCall(workbench, 'projects.current', input);
    expect(outcome).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const message = outcome.ok ? '' : outcome.error.message;
    expect(message.length).toBeLessThan(2_000);
    expect(message).toMatch(/^projects\.current: Unrecognized keys?/);
  });

  it('lists a refusal’s issues with their paths, so a form can show each at its field', async () => {
    const outcome = await dispatchCall(workbench, 'projects.current', { extra: 1 });
    expect(outcome.ok).toBe(false);
    const issues = outcome.ok ? [] : (outcome.error.issues ?? []);
    expect(issues).toEqual([{ path: [], message: expect.stringContaining('extra') }]);
  });

  it('gives the path of a nested problem (ε of the threat model)', async () => {
    const outcome = await dispatchCall(workbench, 'jobs.startAttack', {
      modelId: 1,
      datasetId: 1,
      indices: [0],
      method: 'pgd',
      perturbation: { constraint: 'linf', epsilon: -1, steps: 5, stepSize: 0.1, randomStart: true },
      restarts: 1,
      targetClass: null,
      seed: 0,
    });
    expect(outcome.ok).toBe(false);
    const issues = outcome.ok ? [] : (outcome.error.issues ?? []);
    expect(issues).toContainEqual({
      path: ['perturbation', 'epsilon'],
      message: 'ε must be greater than 0',
    });
  });
});
