/**
 * The engine's weight layouts rearranged, once, into what the exported ONNX graph reads
 * (the layouts PyTorch's torch.onnx.export writes, so a converter back to PyTorch gets ordinary
 * Conv2d / Linear weights):
 *   conv kernel   HWIO [kh, kw, in, out]  → OIHW [out, in, kh, kw]     (perm [3, 2, 0, 1])
 *   dense kernel  IO   [in, out]          → Gemm B with transB = 1: [out, in]   (perm [1, 0])
 *   a dense layer after a flatten of an [H, W, C] map reads its rows in (h, w, c) order
 *   (the engine flattens NHWC); ONNX's Flatten of NCHW yields (c, h, w), so row
 *   r(h, w, c) = (h·W + w)·C + c of the engine's kernel becomes row (c·H + h)·W + w.
 */

/** Row-major strides of a shape: stride[i] = Π shape[i+1..]. */
function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--)
    strides[i] = (strides[i + 1] ?? 1) * (shape[i + 1] ?? 1);
  return strides;
}

/**
 * out[j₀, j₁, …] = data[i] with i's axis perm[k] index equal to j_k (NumPy's
 * data.reshape(shape).transpose(perm)); returns the data and the new shape.
 */
export function transposeArray(
  data: Float32Array,
  shape: readonly number[],
  perm: readonly number[],
): { data: Float32Array; shape: number[] } {
  const size = shape.reduce((a, b) => a * b, 1);
  if (data.length !== size) {
    throw new Error(`${data.length} values for shape [${shape.join(', ')}]`);
  }
  if (perm.length !== shape.length || [...perm].sort().some((p, i) => p !== i)) {
    throw new Error(`[${perm.join(', ')}] is not a permutation of ${shape.length} axes`);
  }
  const outShape = perm.map((p) => shape[p] ?? 0);
  const inStrides = stridesOf(shape);
  // Walking the output in order, the input offset moves by the input stride of the permuted axis.
  const stepOf = perm.map((p) => inStrides[p] ?? 0);
  const out = new Float32Array(size);
  const index = new Array<number>(shape.length).fill(0);
  let offset = 0;
  for (let o = 0; o < size; o++) {
    out[o] = data[offset] ?? 0;
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      index[axis] = (index[axis] ?? 0) + 1;
      offset += stepOf[axis] ?? 0;
      if ((index[axis] ?? 0) < (outShape[axis] ?? 0)) break;
      offset -= (stepOf[axis] ?? 0) * (outShape[axis] ?? 0);
      index[axis] = 0;
    }
  }
  return { data: out, shape: outShape };
}

/** HWIO conv kernel → OIHW. */
export function convKernelToOihw(data: Float32Array, shape: readonly number[]) {
  if (shape.length !== 4) throw new Error(`a conv kernel is 4-D, got [${shape.join(', ')}]`);
  return transposeArray(data, shape, [3, 2, 0, 1]);
}

/**
 * IO dense kernel → [out, in] for Gemm(transB = 1). `flattened`, when the layer reads a
 * flattened [H, W, C] map, reorders the rows from (h, w, c) to (c, h, w) first.
 */
export function denseKernelToGemm(
  data: Float32Array,
  shape: readonly number[],
  flattened?: readonly [number, number, number],
) {
  const [rows = 0, units = 0] = shape;
  if (shape.length !== 2) throw new Error(`a dense kernel is 2-D, got [${shape.join(', ')}]`);
  if (flattened === undefined) return transposeArray(data, shape, [1, 0]);
  const [h, w, c] = flattened;
  if (h * w * c !== rows) {
    throw new Error(`a dense kernel of ${rows} rows cannot read a flattened ${h}×${w}×${c} map`);
  }
  // [H, W, C, out] → [out, C, H, W], read as [out, C·H·W].
  const reordered = transposeArray(data, [h, w, c, units], [3, 2, 0, 1]);
  return { data: reordered.data, shape: [units, rows] };
}
