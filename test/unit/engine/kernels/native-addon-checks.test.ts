import { beforeAll, describe, expect, it } from 'vitest';
import {
  addonMismatch,
  loadNativeAddon,
  NATIVE_KERNEL_FUNCTIONS,
  type NativeKernelAddon,
} from '../../../../src-main/engine/kernels/native/native-addon';
import { readEnvironmentSettings } from '../../../../src-main/common/environment-settings';

/**
 * The addon's own argument checks (native/src/addon.c, napi-args.c), called directly: each
 * refusal is a RangeError or TypeError with a message naming what is wrong, thrown before any
 * work, and the addon keeps working afterwards (no crash, no corrupted state).
 */
const turnedOff = readEnvironmentSettings(process.env).nativeKernels === 'off';

/** conv geometry: conv_geometry's 15 fields, then pad_bottom and pad_right. */
function conv(fields: Partial<Record<ConvField, number>>): Int32Array {
  const base: Record<ConvField, number> = {
    batch: 1,
    inH: 8,
    inW: 8,
    inC: 1,
    outH: 8,
    outW: 8,
    outC: 1,
    kH: 3,
    kW: 3,
    strideH: 1,
    strideW: 1,
    dilH: 1,
    dilW: 1,
    padTop: 1,
    padLeft: 1,
    padBottom: 1,
    padRight: 1,
  };
  return Int32Array.from(Object.values({ ...base, ...fields }));
}
type ConvField =
  | 'batch'
  | 'inH'
  | 'inW'
  | 'inC'
  | 'outH'
  | 'outW'
  | 'outC'
  | 'kH'
  | 'kW'
  | 'strideH'
  | 'strideW'
  | 'dilH'
  | 'dilW'
  | 'padTop'
  | 'padLeft'
  | 'padBottom'
  | 'padRight';

describe.skipIf(turnedOff)('native addon argument checks', () => {
  let addon: NativeKernelAddon;
  beforeAll(() => {
    const load = loadNativeAddon();
    if (!load.ok) throw new Error(load.reason);
    addon = load.addon;
  });

  /** An 8×8 single-channel 3×3 'same' forward pass, which must still run after every refusal. */
  function forward(geometry = conv({}), x = new Float32Array(64), y = new Float32Array(64)): void {
    addon.conv2dForward(x, new Float32Array(9).fill(1), y, geometry, null, false);
  }

  it('runs a consistent geometry', () => {
    const y = new Float32Array(64);
    forward(conv({}), new Float32Array(64).fill(1), y);
    expect(y[0]).toBe(4); // a corner sees 2×2 ones
    expect(y[9]).toBe(9);
  });

  describe('products of dimensions that overflow size_t', () => {
    it('conv input, named with its dimensions', () => {
      // 65536⁴ = 2⁶⁴: a 1×1 'valid' convolution, so the geometry itself is consistent.
      const big = 65536;
      const geometry = conv({
        batch: big,
        inH: big,
        inW: big,
        inC: big,
        outH: big,
        outW: big,
        kH: 1,
        kW: 1,
        padTop: 0,
        padLeft: 0,
        padBottom: 0,
        padRight: 0,
      });
      expect(() => forward(geometry)).toThrow(RangeError);
      expect(() => forward(geometry)).toThrow(
        'input (batch·in_h·in_w·in_c) = 65536·65536·65536·65536 floats does not fit in memory',
      );
      forward();
    });

    it("conv matrix sides beyond OpenBLAS' int", () => {
      // 2¹⁵·2¹⁵·2 input pixels in 1×1 'valid': out_h·out_w = 2³¹ does not fit an int.
      const geometry = conv({
        inH: 32768,
        inW: 65536,
        outH: 32768,
        outW: 65536,
        kH: 1,
        kW: 1,
        padTop: 0,
        padLeft: 0,
        padBottom: 0,
        padRight: 0,
      });
      expect(() => forward(geometry)).toThrow(
        'convolution geometry: out_h·out_w = 32768·65536 exceeds an int',
      );
    });

    it('matmul operand', () => {
      const n = 2_000_000_000;
      const geometry = Int32Array.from([n, n, n, n, n, 0, 0]);
      const small = new Float32Array(4);
      expect(() =>
        addon.batchMatMul(small, new Float32Array(4), new Float32Array(4), geometry),
      ).toThrow(/^a \(batch_a·m·k\) = 2000000000·2000000000·2000000000 floats does not fit/);
    });

    it('sum rows·cols', () => {
      // (2³¹ − 1)² floats, 2⁶⁴ − 2³⁴ + 4 bytes, still fits in size_t: the length check is what
      // refuses this one, before anything reads past x.
      const max = 2 ** 31 - 1;
      expect(() =>
        addon.sumLeadingAxes(new Float32Array(4), new Float32Array(4), max, max),
      ).toThrow(/x holds 4 floats but the geometry needs 4611686014132420609/);
    });
  });

  describe('inconsistent geometry', () => {
    it('conv out_h that no padding gives', () => {
      expect(() => forward(conv({ outH: 20 }))).toThrow(RangeError);
      expect(() => forward(conv({ outH: 20 }))).toThrow(
        'convolution geometry: out_h = 20 does not follow from in_h 8, k_h 3, dil_h 1, ' +
          'stride_h 1, pad_top 1, pad_bottom 1 (which give out_h = 8)',
      );
      forward();
    });

    it('conv out_w with stride and dilation', () => {
      // (8 + 0 + 0 − (2·2 + 1)) / 2 + 1 = 2, not 3.
      const geometry = conv({ outW: 3, kW: 3, dilW: 2, strideW: 2, padLeft: 0, padRight: 0 });
      expect(() => addon.conv2dAlgorithms(geometry)).toThrow(/out_w = 3 .* out_w = 2\)/);
      expect(() =>
        addon.conv2dAlgorithms(conv({ outW: 2, dilW: 2, strideW: 2, padLeft: 0, padRight: 0 })),
      ).not.toThrow();
    });

    it('pads so large that pixel coordinates overflow an int', () => {
      expect(() => forward(conv({ padTop: 2 ** 31 - 8 }))).toThrow(
        /in_h 8 \+ pad_top 2147483640 \+ pad_bottom 1 .* overflows an int/,
      );
    });

    it('negative bottom or right padding', () => {
      expect(() => forward(conv({ padRight: -1 }))).toThrow(/negative pad_bottom or pad_right/);
    });

    it('pooling out_w beyond any padding tfjs makes', () => {
      // 2×2 stride 2 over 8 columns: 4 windows, 5 only with 2 columns of right padding.
      const geometry = Int32Array.from([1, 8, 8, 1, 4, 5, 2, 2, 2, 2, 0, 0]);
      expect(() =>
        addon.maxPoolBackprop(
          new Float32Array(20),
          new Float32Array(64),
          new Float32Array(64),
          geometry,
        ),
      ).toThrow(/pooling geometry: out_w = 5 .* pad_right 0 to 1 \(which give out_w 4 to 4\)/);
    });

    it("pooling 'same' with an odd size is accepted", () => {
      // 7 → ceil(7 / 2) = 4 windows with one row of bottom padding.
      const geometry = Int32Array.from([1, 7, 7, 1, 4, 4, 2, 2, 2, 2, 0, 0]);
      const dx = new Float32Array(49);
      addon.maxPoolBackprop(new Float32Array(16).fill(1), new Float32Array(49), dx, geometry);
      expect(dx.reduce((a, b) => a + b, 0)).toBe(16);
    });
  });

  describe('outputs that overlap inputs', () => {
    it('conv output over part of its input', () => {
      const memory = new Float32Array(128);
      expect(() => forward(conv({}), memory.subarray(0, 64), memory.subarray(60, 124))).toThrow(
        'output overlaps first operand in memory',
      );
      forward();
    });

    it('elementwise in place, and an output over a per-channel operand', () => {
      const memory = new Float32Array(16);
      expect(() => addon.relu(memory, memory)).toThrow(/^output overlaps x in memory/);
      expect(() =>
        addon.add(memory.subarray(0, 8), memory.subarray(8, 10), memory.subarray(8, 16)),
      ).toThrow(/^output overlaps b in memory/);
      // Adjacent views of one buffer do not overlap.
      addon.add(memory.subarray(0, 8), memory.subarray(8, 10), new Float32Array(8));
      addon.relu(memory.subarray(0, 8), memory.subarray(8, 16));
    });

    it('matmul, pooling, sum and the ReLU gradient', () => {
      const memory = new Float32Array(64);
      const geometry = Int32Array.from([1, 1, 2, 2, 2, 0, 0]);
      expect(() =>
        addon.batchMatMul(
          memory.subarray(0, 4),
          memory.subarray(4, 8),
          memory.subarray(6, 10),
          geometry,
        ),
      ).toThrow(/^output overlaps b/);
      expect(() =>
        addon.sumLeadingAxes(memory.subarray(0, 8), memory.subarray(7, 9), 4, 2),
      ).toThrow(/^output overlaps x/);
      expect(() =>
        addon.reluGradient(memory.subarray(0, 4), memory.subarray(4, 8), memory.subarray(0, 4)),
      ).toThrow(/^output overlaps dy/);
      const pool = Int32Array.from([1, 4, 4, 1, 2, 2, 2, 2, 2, 2, 0, 0]);
      expect(() =>
        addon.maxPoolBackprop(
          memory.subarray(0, 4),
          memory.subarray(4, 20),
          memory.subarray(10, 26),
          pool,
        ),
      ).toThrow(/^output overlaps x/);
    });
  });

  describe('wrong lengths and types', () => {
    it('a short output', () => {
      expect(() => forward(conv({}), new Float32Array(64), new Float32Array(63))).toThrow(
        'output holds 63 floats but the geometry needs 64',
      );
    });

    it('the old 15-field conv geometry', () => {
      expect(() => forward(conv({}).subarray(0, 15))).toThrow(TypeError);
      expect(() => forward(conv({}).subarray(0, 15))).toThrow(
        'geometry must hold 17 integers, got 15',
      );
    });

    it('a Float64Array operand', () => {
      expect(() =>
        addon.relu(new Float64Array(4) as unknown as Float32Array, new Float32Array(4)),
      ).toThrow('x must be a Float32Array');
    });
  });

  describe('one function table', () => {
    it('the addon exports the names its table defines, and they are the interface', () => {
      expect([...addon.functionNames].sort()).toEqual([...NATIVE_KERNEL_FUNCTIONS].sort());
      for (const name of addon.functionNames) {
        expect(typeof (addon as unknown as Record<string, unknown>)[name]).toBe('function');
      }
    });

    it('the load check names what a module lacks', () => {
      expect(addonMismatch(addon)).toBeNull();
      expect(addonMismatch({ relu: () => 0 })).toMatch(/no functionNames table/);
      const partial = { ...addon, functionNames: addon.functionNames.filter((n) => n !== 'step') };
      expect(addonMismatch(partial)).toBe('it lacks step');
      expect(addonMismatch(null)).toBe('it exports no object');
    });
  });
});
