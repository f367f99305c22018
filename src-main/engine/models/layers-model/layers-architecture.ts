/**
 * The 'tfjs-layers' architecture: an imported tfjs-layers model run as a workbench Model.
 *
 * Rebuilding is synchronous: tfjs-layers registers its classes in tfjs-core's SerializationMap,
 * and a model class's fromConfig(cls, config) builds the layers from the camelCase config that
 * the import stored (tf.models.modelFromJSON does the same after converting Keras' snake_case,
 * but is async only because it may fetch weights).
 *
 * The layers keep their own variables; the Model's parameters are those very variables
 * (LayerVariable.read() is the tf.Variable the layers compute with), so optimizers and
 * tf.grad see what the forward pass uses. Forward, for images x [N,H,W,C] in [0,1]:
 *   x' = low + (high − low)·x          (the model's own input range, see inputRange)
 *   x' → [N, H·W·C] when the model takes flat vectors
 *   [r, z] = [input, output] of the logits Dense layer  → representation r [N,F], logits z [N,C]
 * Layers after the logits layer (the softmax the import set aside) are not run.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { ModelSpec } from '../../engine-types';
import type { Model, ParameterMap, ParameterSpec, SelfBuiltArchitecture } from '../model-types';
import { layersLibrary } from './layers-library';
import { layersDescriptionOf, type LayersModelDescription } from './layers-model-description';

/** A layers model rebuilt (untrained weights) from a description. */
export function rebuildLayersModel(description: LayersModelDescription): tfl.LayersModel {
  const library = layersLibrary();
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[description.className];
  if (entry === undefined) {
    throw new Error(`tfjs-layers has no model class ${description.className}`);
  }
  const [modelClass, fromConfig] = entry;
  const config = JSON.parse(JSON.stringify(description.config)) as tf.serialization.ConfigDict;
  const built = fromConfig(modelClass, config);
  if (!(built instanceof library.LayersModel)) {
    throw new Error(`${description.className} is not a tfjs-layers model class`);
  }
  return built;
}

/**
 * A model with two outputs over the same layers: the logits layer's input (the representation)
 * and output (the logits).
 */
export function representationAndLogits(
  model: tfl.LayersModel,
  logitsLayer: string,
): tfl.LayersModel {
  const library = layersLibrary();
  const layer = model.getLayer(logitsLayer);
  const representation = layer.input;
  const logits = layer.output;
  if (Array.isArray(representation) || Array.isArray(logits)) {
    throw new Error(
      `layer ${logitsLayer} is used more than once; the workbench needs one logits layer`,
    );
  }
  if (representation.shape.length !== 2) {
    throw new Error(
      `the input of ${logitsLayer} has shape [${representation.shape.join(', ')}]; ` +
        'the representation must be a vector per image',
    );
  }
  return library.model({ inputs: model.inputs, outputs: [representation, logits] });
}

/** He-normal for kernels, ones for γ and moving variances, zeros for the rest (createModel). */
function initializerFor(name: string): ParameterSpec['initializer'] {
  if (/(^|\/)(gamma|moving_variance)$/.test(name)) return 'ones';
  if (/(^|\/)(bias|beta|moving_mean)$/.test(name)) return 'zeros';
  return 'he-normal';
}

function parameterSpecs(description: LayersModelDescription): ParameterSpec[] {
  return description.weights.map((weight) => ({
    name: weight.name,
    shape: weight.shape,
    initializer: initializerFor(weight.name),
    fanIn: Math.max(
      1,
      weight.shape.slice(0, -1).reduce((a, b) => a * b, 1),
    ),
    trainable: weight.trainable,
  }));
}

function instantiate(spec: ModelSpec, values: ParameterMap): Model {
  const description = layersDescriptionOf(spec);
  const layersModel = rebuildLayersModel(description);
  try {
    const expected = new Map(description.weights.map((w) => [w.name, w]));
    for (const weight of layersModel.weights) {
      const declared = expected.get(weight.originalName);
      const value = values.get(weight.originalName);
      if (declared === undefined || value === undefined) {
        throw new Error(
          `the rebuilt layers model has a weight ${weight.originalName} the description lacks`,
        );
      }
      weight.write(value);
    }
    if (layersModel.weights.length !== expected.size) {
      throw new Error(
        `the description lists ${expected.size} weights, the rebuilt model has ${layersModel.weights.length}`,
      );
    }
  } catch (error) {
    layersModel.dispose();
    throw error;
  }
  const twoOutputs = representationAndLogits(layersModel, description.logitsLayer);
  const parameters = layersModel.weights.map((weight) => {
    const variable = weight.read();
    if (!(variable instanceof tf.Variable))
      throw new Error(`${weight.originalName} is not a variable`);
    return { name: weight.originalName, variable, trainable: weight.trainable };
  });
  const [low, high] = description.inputRange;
  return {
    spec,
    parameters,
    forward(images, options = {}) {
      if (options.fakeRelu === true) {
        throw new Error(
          'the fake ReLU is not available on imported tfjs-layers models: their representation ' +
            'is computed inside the layers model',
        );
      }
      return tf.tidy(() => {
        let x: tf.Tensor =
          low === 0 && high === 1 ? images : tf.add(tf.mul(images, high - low), low);
        if (description.flatInput) x = tf.reshape(x, [images.shape[0], -1]);
        const outputs = twoOutputs.apply(x, { training: options.training ?? false });
        if (!Array.isArray(outputs) || outputs.length !== 2) {
          throw new Error('the layers model did not return a representation and logits');
        }
        const [representation, logits] = outputs as tf.Tensor[];
        return {
          representation: representation as tf.Tensor2D,
          logits: logits as tf.Tensor2D,
        };
      });
    },
    dispose() {
      for (const weight of layersModel.weights) weight.dispose();
    },
  };
}

export const layersArchitecture: SelfBuiltArchitecture = {
  name: 'tfjs-layers',
  description: 'an imported TensorFlow.js layers model',
  parameters: (spec) => parameterSpecs(layersDescriptionOf(spec)),
  instantiate,
};
