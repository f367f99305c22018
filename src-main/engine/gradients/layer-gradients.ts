/**
 * Gradients of the layer kernels; each defers to the backward kernel of the active backend
 * (on wasm: the project's Conv2DBackpropInput/Filter, see ../kernels).
 *
 * BatchMatMul, C = A·B with A [b, m, k], B [b, k, n], dy [b, m, n]:
 *   dA = dy·Bᵀ [b, m, k],  dB = Aᵀ·dy [b, k, n]   (other transpose flags permute these).
 * Where BatchMatMul is the native kernel, the transposes are GEMM flags and cost nothing. On
 * the backends' own kernels they are done explicitly and then a plain matMul: the wasm
 * backend's matMul with transpose flags is markedly slower than Transpose + matMul.
 */
import * as tf from '@tensorflow/tfjs-core';
import type {
  AvgPoolAttrs,
  Conv2DAttrs,
  FusedConv2DAttrs,
  GradConfig,
  MaxPoolAttrs,
  NamedAttrMap,
  Tensor,
} from '@tensorflow/tfjs-core';
import { isNativeKernel } from '../kernels/native/register-native-kernels';
import { attrsAs, savedTensor, singleDy } from './gradient-helpers';
import { reluGradient } from './relu-gradient';

function swapLast(t: Tensor): Tensor {
  const perm = t.shape.map((_, i) => i);
  const last = perm.length - 1;
  [perm[last - 1], perm[last]] = [last, last - 1];
  return tf.transpose(t, perm);
}

/** a·b with optional transposes: GEMM flags on the native kernel, else Transpose kernels. */
function product(a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean): Tensor {
  if (isNativeKernel('BatchMatMul', tf.getBackend())) {
    return tf.matMul(a, b, transposeA, transposeB);
  }
  return tf.matMul(transposeA ? swapLast(a) : a, transposeB ? swapLast(b) : b);
}

/** The input and filter gradients of a convolution y = x ⊛ filter, for upstream gradient dy. */
function convolutionGradients(
  dy: Tensor,
  x: Tensor,
  filter: Tensor,
  attrs: Conv2DAttrs,
  kernel: string,
): { x: () => Tensor; filter: () => Tensor } {
  const dilations = typeof attrs.dilations === 'number' ? [attrs.dilations] : attrs.dilations;
  if (dilations.some((d) => d !== 1)) {
    throw new Error(`${kernel} gradients need dilation 1, got ${dilations.join(',')}`);
  }
  const common = {
    strides: attrs.strides,
    pad: attrs.pad,
    dataFormat: attrs.dataFormat,
    dimRoundingMode: attrs.dimRoundingMode,
  };
  return {
    x: () =>
      tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, {
        ...common,
        inputShape: x.shape,
      } as unknown as NamedAttrMap) as Tensor,
    filter: () =>
      tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
        ...common,
        filterShape: filter.shape,
      } as unknown as NamedAttrMap) as Tensor,
  };
}

const conv2dGradient: GradConfig = {
  kernelName: 'Conv2D',
  inputsToSave: ['x', 'filter'],
  gradFunc: (dy, saved, attrs) =>
    convolutionGradients(
      singleDy(dy),
      savedTensor(saved, 0, 'Conv2D'),
      savedTensor(saved, 1, 'Conv2D'),
      attrsAs<Conv2DAttrs>(attrs),
      'Conv2D',
    ),
};

/**
 * y = act(x ⊛ filter + bias) in one kernel (the models' convolution + ReLU, layers.ts), with act
 * the identity or the ReLU. Its gradient: da = dy · step(y) (ReluGradient: one pass), then
 *   dx = Conv2DBackpropInput(da),  dfilter = Conv2DBackpropFilter(x, da),  dbias = Σ_{n,h,w} da.
 * da is formed once, eagerly: every input's gradient needs it. The three gradients are closures,
 * so tfjs computes only those on the path to what is differentiated (an attack or an inversion
 * asks for dx alone) — tfjs' own tf.fused.conv2d computes all three in its custom gradient.
 */
const fusedConv2dGradient: GradConfig = {
  kernelName: 'FusedConv2D',
  inputsToSave: ['x', 'filter'],
  outputsToSave: [true],
  gradFunc: (dyIn, saved, attrsIn) => {
    const attrs = attrsAs<FusedConv2DAttrs>(attrsIn);
    if (attrs.activation !== 'relu' && attrs.activation !== 'linear') {
      throw new Error(
        `FusedConv2D gradients support the ReLU and no activation, got ${attrs.activation}`,
      );
    }
    const x = savedTensor(saved, 0, 'FusedConv2D');
    const filter = savedTensor(saved, 1, 'FusedConv2D');
    const y = savedTensor(saved, 2, 'FusedConv2D');
    const dy = singleDy(dyIn);
    const da = attrs.activation === 'relu' ? reluGradient(dy, y) : dy;
    return {
      ...convolutionGradients(da, x, filter, attrs, 'FusedConv2D'),
      bias: () => tf.sum(da, [0, 1, 2]),
    };
  },
};

const maxPoolGradient: GradConfig = {
  kernelName: 'MaxPool',
  inputsToSave: ['x'],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrsIn) => {
    const attrs = attrsAs<MaxPoolAttrs>(attrsIn);
    const input = savedTensor(saved, 0, 'MaxPool');
    const output = savedTensor(saved, 1, 'MaxPool');
    return {
      x: () =>
        tf.engine().runKernel('MaxPoolGrad', { dy: singleDy(dy), input, output }, {
          filterSize: attrs.filterSize,
          strides: attrs.strides,
          pad: attrs.pad,
          dimRoundingMode: attrs.dimRoundingMode,
        } as unknown as NamedAttrMap) as Tensor,
    };
  },
};

/**
 * y = AvgPool(x): each input cell receives dy of every window it lies in, divided by the window
 * size — the backend's AvgPoolGrad kernel (wasm and cpu have one).
 */
const avgPoolGradient: GradConfig = {
  kernelName: 'AvgPool',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrsIn) => {
    const attrs = attrsAs<AvgPoolAttrs>(attrsIn);
    const input = savedTensor(saved, 0, 'AvgPool');
    return {
      x: () =>
        tf.engine().runKernel('AvgPoolGrad', { dy: singleDy(dy), input }, {
          filterSize: attrs.filterSize,
          strides: attrs.strides,
          pad: attrs.pad,
        } as unknown as NamedAttrMap) as Tensor,
    };
  },
};

const batchMatMulGradient: GradConfig = {
  kernelName: 'BatchMatMul',
  inputsToSave: ['a', 'b'],
  gradFunc: (dyIn, saved, attrsIn) => {
    const dy = singleDy(dyIn);
    const a = savedTensor(saved, 0, 'BatchMatMul');
    const b = savedTensor(saved, 1, 'BatchMatMul');
    const { transposeA, transposeB } = attrsAs<{ transposeA: boolean; transposeB: boolean }>(
      attrsIn,
    );
    // Rank-2 operands (plain matMul) or equal batch dimensions; broadcast batches would need a
    // reduction of the gradient over the broadcast axes, which no engine model produces.
    if (a.rank !== b.rank || a.shape.slice(0, -2).join('x') !== b.shape.slice(0, -2).join('x')) {
      throw new Error('BatchMatMul gradient: broadcast batch dimensions are not supported');
    }
    if (!transposeA && !transposeB) {
      return { a: () => product(dy, b, false, true), b: () => product(a, dy, true, false) };
    }
    if (!transposeA && transposeB) {
      return { a: () => product(dy, b, false, false), b: () => product(dy, a, true, false) };
    }
    if (transposeA && !transposeB) {
      return { a: () => product(b, dy, false, true), b: () => product(a, dy, false, false) };
    }
    return { a: () => product(b, dy, true, true), b: () => product(dy, a, true, true) };
  },
};

export const layerGradients: GradConfig[] = [
  conv2dGradient,
  fusedConv2dGradient,
  maxPoolGradient,
  avgPoolGradient,
  batchMatMulGradient,
];
