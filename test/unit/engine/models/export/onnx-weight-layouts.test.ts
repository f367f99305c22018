/** The weight rearrangements of the ONNX export, on arrays small enough to check by hand. */
import { describe, expect, it } from 'vitest';
import {
  convKernelToOihw,
  denseKernelToGemm,
  transposeArray,
} from '../../../../../src-main/engine/models/export/onnx/weight-layouts';

describe('ONNX export weight layouts', () => {
  it('transposes like numpy: a.reshape(shape).transpose(perm)', () => {
    // [2, 3]: [[0, 1, 2], [3, 4, 5]] → [3, 2]: [[0, 3], [1, 4], [2, 5]]
    const t = transposeArray(Float32Array.of(0, 1, 2, 3, 4, 5), [2, 3], [1, 0]);
    expect(t.shape).toEqual([3, 2]);
    expect(Array.from(t.data)).toEqual([0, 3, 1, 4, 2, 5]);
    // [2, 1, 3] with perm [2, 0, 1]: out[k, i, j] = a[i, j, k]
    const u = transposeArray(Float32Array.of(0, 1, 2, 3, 4, 5), [2, 1, 3], [2, 0, 1]);
    expect(u.shape).toEqual([3, 2, 1]);
    expect(Array.from(u.data)).toEqual([0, 3, 1, 4, 2, 5]);
    expect(() => transposeArray(new Float32Array(5), [2, 3], [1, 0])).toThrow(/5 values/);
    expect(() => transposeArray(new Float32Array(6), [2, 3], [0, 0])).toThrow(/permutation/);
  });

  it('HWIO → OIHW: value at [h, w, i, o] lands at [o, i, h, w]', () => {
    const shape = [2, 3, 4, 5];
    const data = Float32Array.from({ length: 120 }, (_, k) => k);
    const { data: out, shape: outShape } = convKernelToOihw(data, shape);
    expect(outShape).toEqual([5, 4, 2, 3]);
    const at = (h: number, w: number, i: number, o: number) => ((h * 3 + w) * 4 + i) * 5 + o;
    const oihw = (o: number, i: number, h: number, w: number) => ((o * 4 + i) * 2 + h) * 3 + w;
    expect(out[oihw(1, 2, 0, 1)]).toBe(at(0, 1, 2, 1));
    expect(out[oihw(3, 0, 1, 2)]).toBe(at(1, 2, 0, 3));
  });

  it('dense IO → [out, in], rows after a flatten reordered from (h, w, c) to (c, h, w)', () => {
    // in = H·W·C = 1·2·2 = 4 rows, 1 unit; row (h, w, c) holds 10·w + c.
    const data = Float32Array.of(0, 1, 10, 11);
    expect(Array.from(denseKernelToGemm(data, [4, 1]).data)).toEqual([0, 1, 10, 11]);
    // (c, h, w) order: c = 0: w = 0, 1 → 0, 10; c = 1 → 1, 11.
    const reordered = denseKernelToGemm(data, [4, 1], [1, 2, 2]);
    expect(reordered.shape).toEqual([1, 4]);
    expect(Array.from(reordered.data)).toEqual([0, 10, 1, 11]);
    expect(() => denseKernelToGemm(data, [4, 1], [2, 2, 2])).toThrow(/cannot read/);
  });
});
