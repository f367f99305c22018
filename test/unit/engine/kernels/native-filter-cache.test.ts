import { beforeAll, describe, expect, it } from 'vitest';
import {
  loadNativeAddon,
  type NativeKernelAddon,
} from '../../../../src-main/engine/kernels/native/native-addon';
import {
  convGeometry,
  convInfo,
} from '../../../../src-main/engine/kernels/native/native-conv-kernels';
import { setNativeKernelThreads } from '../../../../src-main/engine/kernels/native/register-native-kernels';
import { useBackend } from '../use-backend';
import { randomValues, size, type Shape4 } from './kernel-test-data';

/**
 * The Winograd filter cache (native/src/filter-cache.c) may serve a transformed filter only for
 * the very floats it came from. Each call below is compared bit for bit with the same call on a
 * fresh copy of the filter (a new address, so a certain miss, transformed anew): a stale entry
 * would give a visibly different result, a correct one the identical floats.
 */
const turnedOff = process.env.RFW_NATIVE_KERNELS === 'off';

const xShape: Shape4 = [2, 8, 8, 48];
const wShape: Shape4 = [3, 3, 48, 40];
const yShape: Shape4 = [2, 8, 8, 40];

describe.skipIf(turnedOff)('native Winograd filter cache', () => {
  let addon: NativeKernelAddon;
  const g = convGeometry(convInfo(xShape, wShape, { strides: 1, pad: 'same' }, 1));
  let x: Float32Array;
  let dy: Float32Array;

  const forward = (w: Float32Array): Float32Array => {
    const y = new Float32Array(size(yShape));
    addon.conv2dForward(x, w, y, g, null, false);
    return y;
  };
  const inputGradient = (w: Float32Array): Float32Array => {
    const dx = new Float32Array(size(xShape));
    addon.conv2dBackpropInput(dy, w, dx, g);
    return dx;
  };
  /** Both directions on `w` (through whatever the cache holds) and on a fresh copy of it. */
  const expectFresh = (w: Float32Array): void => {
    const copy = Float32Array.from(w);
    expect(forward(w)).toEqual(forward(copy));
    expect(inputGradient(w)).toEqual(inputGradient(copy));
  };

  beforeAll(async () => {
    await useBackend('cpu'); // randomValues draws through tfjs; the kernels below are the addon's
    x = randomValues(size(xShape), 31);
    dy = randomValues(size(yShape), 32);
    const load = loadNativeAddon();
    if (!load.ok) throw new Error(load.reason);
    addon = load.addon;
    setNativeKernelThreads(2, {});
    expect(addon.conv2dAlgorithms(g)).toEqual({ forward: 'winograd', inputGradient: 'winograd' });
  });

  it('a repeated call on unchanged weights gives the same floats', () => {
    const w = randomValues(size(wShape), 33);
    const first = forward(w);
    expect(forward(w)).toEqual(first);
    expectFresh(w);
  });

  it('weights changed in place, even by one float, are transformed again', () => {
    const w = randomValues(size(wShape), 34);
    expectFresh(w);
    const before = forward(w);
    w[w.length - 1] = (w[w.length - 1] ?? 0) + 0.5; // the last tap of the last pair only
    const after = forward(w);
    expect(after).not.toEqual(before);
    expectFresh(w);
    w.set(randomValues(size(wShape), 35));
    expectFresh(w);
  });

  it('one buffer holding two filters in turn always gives the current one', () => {
    const a = randomValues(size(wShape), 36);
    const b = randomValues(size(wShape), 37);
    const buffer = Float32Array.from(a);
    for (const next of [b, a, b, a]) {
      buffer.set(next);
      expectFresh(buffer);
    }
  });

  it('the forward and input-gradient transforms of one filter are kept apart', () => {
    const w = randomValues(size(wShape), 38);
    const copy = Float32Array.from(w);
    // Alternate the two roles on the same address; each must match its own fresh result.
    for (let round = 0; round < 3; round++) {
      expect(inputGradient(w)).toEqual(inputGradient(copy));
      expect(forward(w)).toEqual(forward(copy));
    }
  });
});
