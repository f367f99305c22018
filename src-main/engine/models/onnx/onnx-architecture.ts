/**
 * The 'onnx' architecture: an imported ONNX model run as a workbench Model, translated again
 * from its stored structure and weights (onnx-stored-model.ts) in the worker that needs it.
 *
 * The translated graph holds its weights as constants already converted to the engine's layout
 * (a Conv weight [O, I, kH, kW] becomes [kH, kW, I, O] once), so the Model has no variables:
 * Model.parameters is empty. An imported ONNX model is fixed — it cannot be trained, and the
 * randomization checks can only re-draw all of its weights at once (createModel re-translates
 * the graph around fresh values), not one layer's.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec } from '../../engine-types';
import type { Model, ParameterMap, ParameterSpec, SelfBuiltArchitecture } from '../model-types';
import { onnxDescriptionOf, type OnnxModelDescription } from './onnx-model-description';
import { runStored, translateStored } from './onnx-stored-model';

/** BatchNorm statistics are buffers; their initial values keep a randomized copy finite. */
const runningVariance = /(^|[./_])running_var$/;
const zeroStart = /(^|[./_])(bias|running_mean)$/;
const buffer = /(^|[./_])(running_mean|running_var|num_batches_tracked)$/;

function parameterSpecs(description: OnnxModelDescription): ParameterSpec[] {
  return description.weights.map(({ name, shape }) => ({
    name,
    shape,
    initializer: runningVariance.test(name) ? 'ones' : zeroStart.test(name) ? 'zeros' : 'he-normal',
    // ONNX weights are [out, in, …]: the fan-in is everything after the first axis.
    fanIn: Math.max(
      1,
      shape.slice(1).reduce((a, b) => a * b, 1),
    ),
    trainable: !buffer.test(name),
  }));
}

function instantiate(spec: ModelSpec, values: ParameterMap): Model {
  const description = onnxDescriptionOf(spec);
  const weights = new Map<string, Float32Array>();
  for (const [name, tensor] of values) {
    weights.set(name, Float32Array.from((tensor as tf.Tensor).dataSync()));
  }
  const graph = translateStored(description, weights);
  return {
    spec,
    parameters: [],
    forward(images, options = {}) {
      if (options.fakeRelu === true) {
        throw new Error(
          'the fake ReLU is not available on imported ONNX models: their representation is ' +
            'computed inside their own graph',
        );
      }
      // Inference only: BatchNormalization is translated with its running statistics.
      if (options.training === true) {
        throw new Error('an imported ONNX model runs in inference mode only; it cannot be trained');
      }
      return runStored(graph, description.provenance, images);
    },
    dispose() {
      graph.dispose();
    },
  };
}

export const onnxArchitecture: SelfBuiltArchitecture = {
  name: 'onnx',
  description: 'an imported ONNX model',
  parameters: (spec) => parameterSpecs(onnxDescriptionOf(spec)),
  instantiate,
};
