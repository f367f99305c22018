/**
 * Conv2DBackpropFilter for wasm (the backend has none, so conv training fails without it),
 * written as one forward convolution where the batch plays the role of the channels:
 *
 *   x [N, H, W, Cin], dy [N, H', W', Cout]  →  dw [KH, KW, Cin, Cout]
 *   dw[kh,kw,ci,co] = Σ_{n,o,p} xPadded[n, o·sh + kh, p·sw + kw, ci] · dy[n, o, p, co]
 *     = conv2d( xᵀ [Cin, H, W, N],  dyᵀ [H', W', N, Cout] as filter,
 *               strides 1, dilations (sh, sw), the forward pads )  → [Cin, KH(+e), KW(+e), Cout]
 *   then slice to KH×KW and transpose back to [KH, KW, Cin, Cout].
 */
import type {
  Conv2DBackpropFilterAttrs,
  KernelBackend,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { forwardConvAxes, toShape4 } from './conv2d-attributes';
import { filterGradientExcess } from './conv2d-geometry';
import { callWasmKernel, disposeIntermediates, wasmKernelConfig } from './wasm-kernel-call';

function conv2dBackpropFilterWasm(args: Parameters<KernelFunc>[0]): TensorInfo {
  const backend = args.backend as KernelBackend;
  const { x, dy } = args.inputs;
  const attrs = args.attrs as unknown as Conv2DBackpropFilterAttrs;
  if (x === undefined || dy === undefined) throw new Error('Conv2DBackpropFilter needs x and dy');
  const filterShape = toShape4(attrs.filterShape, 'filterShape');
  const [kh, kw, cin, cout] = filterShape;
  const { height, width } = forwardConvAxes(toShape4(x.shape, 'x'), filterShape, attrs);
  const made: TensorInfo[] = [];
  try {
    const xT = callWasmKernel('Transpose', backend, { x }, { perm: [3, 1, 2, 0] });
    made.push(xT);
    const dyT = callWasmKernel('Transpose', backend, { x: dy }, { perm: [1, 2, 0, 3] });
    made.push(dyT);
    let grad = callWasmKernel(
      'Conv2D',
      backend,
      { x: xT, filter: dyT },
      {
        strides: [1, 1],
        dilations: [height.stride, width.stride],
        pad: [
          [0, 0],
          [height.padBefore, height.padAfter],
          [width.padBefore, width.padAfter],
          [0, 0],
        ],
        dataFormat: 'NHWC',
      },
    );
    made.push(grad);
    if (filterGradientExcess(height) > 0 || filterGradientExcess(width) > 0) {
      grad = callWasmKernel(
        'Slice',
        backend,
        { x: grad },
        { begin: [0, 0, 0, 0], size: [cin, kh, kw, cout] },
      );
      made.push(grad);
    }
    return callWasmKernel('Transpose', backend, { x: grad }, { perm: [1, 2, 0, 3] });
  } finally {
    disposeIntermediates(backend, ...made);
  }
}

export const conv2dBackpropFilterWasmConfig = wasmKernelConfig(
  'Conv2DBackpropFilter',
  conv2dBackpropFilterWasm,
);
