import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../../src-main/engine/backend/select-backend';
import { loadOptionalPackage } from '../../../../src-main/engine/backend/load-optional-package';

describe('backend selection', () => {
  it('falls through the native backends to wasm, saying why', async () => {
    const status = await selectBackend(null, {
      loadPackage: (name) => ({ ok: false, reason: `package ${name} is not installed` }),
    });
    expect(status.active).toBe('wasm');
    expect(status.forcedBy).toBeNull();
    expect(status.attempts).toEqual([
      {
        backend: 'tensorflow-gpu',
        ok: false,
        reason: 'package @tensorflow/tfjs-node-gpu is not installed',
      },
      {
        backend: 'tensorflow',
        ok: false,
        reason: 'package @tensorflow/tfjs-node is not installed',
      },
      { backend: 'wasm', ok: true, reason: 'selected' },
    ]);
    expect(tf.getBackend()).toBe('wasm');
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it('honours a forced backend without loading native packages', async () => {
    const loaded: string[] = [];
    const status = await selectBackend('cpu', {
      forcedBy: 'RFW_BACKEND',
      loadPackage: (name) => {
        loaded.push(name);
        return { ok: true };
      },
    });
    expect(loaded).toEqual([]);
    expect(status.active).toBe('cpu');
    expect(status.forcedBy).toBe('RFW_BACKEND');
    expect(status.attempts.find((a) => a.backend === 'wasm')?.reason).toBe(
      'skipped: cpu forced by RFW_BACKEND',
    );
    expect(tf.getBackend()).toBe('cpu');
  });

  it('reports a package that is absent or broken', () => {
    expect(loadOptionalPackage('@tensorflow/definitely-not-a-package')).toEqual({
      ok: false,
      reason: 'package @tensorflow/definitely-not-a-package is not installed',
    });
  });
});
